-- Irregularities found by the rules, each keeping the events behind it for a
-- later, approved individualisation.

CREATE TABLE irregularities (
    id            INTEGER PRIMARY KEY,
    rule          TEXT NOT NULL,
    purpose       INTEGER NOT NULL CHECK (purpose BETWEEN 1 AND 4),
    day           TEXT NOT NULL,     -- the local date the irregularity concerns (ISO)
    subject       TEXT NOT NULL,     -- what it is about globally: a domain, a category, '' for all
    figures       TEXT NOT NULL,     -- JSON: the global numbers the summary shows (never who)
    detected_at   TEXT NOT NULL,
    detected_by   TEXT NOT NULL,
    UNIQUE (rule, day, subject)
);

-- The events behind an irregularity. Only an approved individualisation may
-- follow these to a person; until then they are counted, never shown.
CREATE TABLE irregularity_events (
    irregularity_id  INTEGER NOT NULL REFERENCES irregularities(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('event', 'mail')),
    ref_id           INTEGER NOT NULL,
    PRIMARY KEY (irregularity_id, kind, ref_id)
) WITHOUT ROWID;

-- Mail volume per direction for a period, answered from the index alone.
DROP INDEX mail_events_by_time;
CREATE INDEX mail_events_by_time ON mail_events (ts, direction, size);
