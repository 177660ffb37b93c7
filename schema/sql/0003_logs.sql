-- Imported logs. No user identifier is stored in clear: people appear only as
-- pseudonyms (a keyed hash whose key lives outside the database).

CREATE TABLE pseudonyms (
    id     INTEGER PRIMARY KEY,
    token  TEXT NOT NULL UNIQUE  -- HMAC-SHA256 of "kind:identifier", hex
);

CREATE TABLE domains (
    id        INTEGER PRIMARY KEY,
    domain    TEXT NOT NULL UNIQUE,  -- registrable domain, punycode
    category  TEXT                   -- as categorised when first seen; see categories
);

CREATE TABLE hosts (
    id         INTEGER PRIMARY KEY,
    host       TEXT NOT NULL UNIQUE,
    domain_id  INTEGER NOT NULL REFERENCES domains(id)
);

-- Domain lists imported from outside (UT1 and the like), with their attribution.
CREATE TABLE category_sources (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    attribution  TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    domains      INTEGER NOT NULL
);
CREATE TABLE category_domains (
    domain     TEXT NOT NULL,
    category   TEXT NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES category_sources(id) ON DELETE CASCADE,
    PRIMARY KEY (domain, category)
) WITHOUT ROWID;

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,   -- of everything read from the file (decompressed)
    size          INTEGER NOT NULL, -- bytes read, so a grown log continues from here
    first_line    INTEGER NOT NULL, -- line number in the file of the first line read
    prefix_of     INTEGER REFERENCES imports(id),  -- the import this one continues
    format        TEXT NOT NULL,
    lines         INTEGER NOT NULL,
    imported      INTEGER NOT NULL,
    rejected      INTEGER NOT NULL,
    first_ts      REAL,
    last_ts       REAL,
    imported_by   TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    seconds       REAL NOT NULL
);
CREATE INDEX imports_by_hash ON imports (content_hash);
CREATE INDEX imports_by_path ON imports (path);

-- The first lines per import that could not be read, sanitised, for the person who imported them.
CREATE TABLE rejects (
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    sample     TEXT NOT NULL,
    PRIMARY KEY (import_id, line_no)
) WITHOUT ROWID;

-- The bulk tables (events, mail_events, visits, rollup_users) name pseudonyms,
-- hosts and domains without foreign keys: the importer writes both sides in one
-- transaction, and a key check per row would cost more than the import itself.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    ts            REAL NOT NULL,
    pseudonym_id  INTEGER NOT NULL,
    host_id       INTEGER NOT NULL,
    method        TEXT NOT NULL,
    status        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    elapsed_ms    INTEGER NOT NULL,
    denied        INTEGER NOT NULL,
    url           TEXT  -- only when the policy keeps full URLs
);
CREATE INDEX events_by_time ON events (ts);

CREATE TABLE mail_events (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    ts            REAL NOT NULL,
    sender_id     INTEGER,  -- NULL: the null sender of a bounce
    recipient_id  INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    status        TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('internal', 'outgoing', 'incoming', 'external'))
);
CREATE INDEX mail_events_by_time ON mail_events (ts);

-- Consultations: a person's requests to one domain, merged while the gaps stay short.
CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    pseudonym_id  INTEGER NOT NULL,
    domain_id     INTEGER NOT NULL,
    start         REAL NOT NULL,
    end           REAL NOT NULL,
    requests      INTEGER NOT NULL,
    bytes         INTEGER NOT NULL
);
CREATE INDEX visits_by_start ON visits (start);

-- Global figures per hour (epoch hour) and domain: what the overview reads.
CREATE TABLE rollup_hourly (
    hour       INTEGER NOT NULL,
    domain_id  INTEGER NOT NULL,
    requests   INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    visits     INTEGER NOT NULL,
    seconds    REAL NOT NULL,
    users      INTEGER NOT NULL,
    PRIMARY KEY (hour, domain_id)
) WITHOUT ROWID;

CREATE INDEX rollup_hourly_by_domain ON rollup_hourly (domain_id, hour);

-- Who was present per hour and domain, so distinct users stay exact when imports add to an hour.
CREATE TABLE rollup_users (
    hour          INTEGER NOT NULL,
    domain_id     INTEGER NOT NULL,
    pseudonym_id  INTEGER NOT NULL,
    PRIMARY KEY (hour, domain_id, pseudonym_id)
) WITHOUT ROWID;

-- What the overview reads for a period of days, kept small enough to answer a
-- month of millions of requests at once. "day" is the local (Brussels) date as
-- a proleptic ordinal (Python's date.toordinal()).
CREATE TABLE rollup_daily (
    day        INTEGER NOT NULL,
    domain_id  INTEGER NOT NULL,
    requests   INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    visits     INTEGER NOT NULL,
    seconds    REAL NOT NULL,
    PRIMARY KEY (day, domain_id)
) WITHOUT ROWID;

-- Who used a domain on a day: distinct users of a domain over any period of days.
CREATE TABLE rollup_daily_users (
    domain_id     INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    pseudonym_id  INTEGER NOT NULL,
    PRIMARY KEY (domain_id, day, pseudonym_id)
) WITHOUT ROWID;

-- Who used a category on a day ('' for no category): distinct users per category and in all.
CREATE TABLE rollup_category_users (
    day           INTEGER NOT NULL,
    category      TEXT NOT NULL,
    pseudonym_id  INTEGER NOT NULL,
    PRIMARY KEY (day, category, pseudonym_id)
) WITHOUT ROWID;

-- How long visits lasted, per domain, day of the visit's start and duration bucket
-- (casebook/logs/durations.py): distributions and medians without reading the visits.
CREATE TABLE rollup_durations (
    domain_id  INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    bucket     INTEGER NOT NULL,
    visits     INTEGER NOT NULL,
    PRIMARY KEY (domain_id, day, bucket)
) WITHOUT ROWID;
CREATE INDEX rollup_durations_by_day ON rollup_durations (day, bucket, visits);  -- covering: the month's distribution from the index alone

-- All domains together, per hour: the activity chart.
CREATE TABLE rollup_hours (
    hour      INTEGER PRIMARY KEY,
    requests  INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    visits    INTEGER NOT NULL,
    seconds   REAL NOT NULL
) WITHOUT ROWID;
