-- The foundation: people and their roles, casebook-wide settings, the audit trail.
-- Timestamps are ISO-8601 text in UTC ("2026-11-28T17:23:02+00:00").

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    full_name        TEXT NOT NULL DEFAULT '',
    passphrase_hash  TEXT NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    os_user          TEXT UNIQUE,
    ssh_login        INTEGER NOT NULL DEFAULT 0 CHECK (ssh_login IN (0, 1)),
    created_at       TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('admin', 'it_officer', 'supervisor', 'board', 'employee')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL  -- JSON
) WITHOUT ROWID;

-- Append-only: AUTOINCREMENT keeps sqlite_sequence at the highest id ever
-- given, so a removed last row shows as a gap at the tail.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT,
    action     TEXT NOT NULL,
    subject    TEXT,
    detail     TEXT NOT NULL DEFAULT '{}',  -- JSON
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
