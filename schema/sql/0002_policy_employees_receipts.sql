-- The policy (every version of its text and filled-in fields), the employee
-- directory with the identifiers that appear in logs, and policy receipts.

CREATE TABLE policy_versions (
    version     INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    created_by  TEXT,             -- NULL: the casebook itself (the default text)
    change      TEXT NOT NULL CHECK (change IN ('default', 'text', 'settings')),
    text        TEXT NOT NULL,    -- the policy as Markdown
    settings    TEXT NOT NULL     -- JSON: the organisation's filled-in fields
);

CREATE TABLE employees (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE,  -- lower-case
    department  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- How an employee shows up in logs: proxy user name, mail address, fixed IP.
-- A validity period (dates, inclusive; NULL = open) lets an IP change hands.
CREATE TABLE identifiers (
    id           INTEGER PRIMARY KEY,
    employee_id  INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('proxy_user', 'mail', 'ip')),
    value        TEXT NOT NULL,  -- normalised as the log import normalises it
    valid_from   TEXT,
    valid_to     TEXT
);
CREATE INDEX identifiers_by_value ON identifiers (kind, value);
CREATE INDEX identifiers_by_employee ON identifiers (employee_id);

CREATE TABLE receipts (
    id              INTEGER PRIMARY KEY,
    employee_id     INTEGER NOT NULL REFERENCES employees(id),
    policy_version  INTEGER NOT NULL REFERENCES policy_versions(version),
    received_on     TEXT NOT NULL,  -- date
    method          TEXT NOT NULL CHECK (method IN ('paper', 'email', 'intranet', 'hand')),
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    UNIQUE (employee_id, policy_version)
);
