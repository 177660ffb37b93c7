-- A log is known by its content: an import that continues an earlier one (the
-- same log grown, renamed, copied or compressed since) takes over what that one
-- left open, so importing a log in steps gives what importing it once gives.
CREATE TABLE import_state (
    import_id     INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,
    -- JSON: what it left open for the import that continues it (the ids of the
    -- visits still open, the Postfix messages awaiting their deliveries, the
    -- clock of the visits' sweep).
    carried       TEXT NOT NULL,
    -- JSON: the open visits it took over from the import it continues, as they
    -- were: removing this import puts them back.
    taken         TEXT NOT NULL,
    -- JSON: the ids of the pseudonyms, hosts, sites and domains it was the first
    -- to see ({"pseudonyms": [first, last], ...}): removing it removes those
    -- nothing else names any more.
    created       TEXT NOT NULL DEFAULT '{}',
    -- The rows it wrote, by id: one import writes in one transaction, so each
    -- of its tables' rows lie in one range (removing it needs no index).
    events_from   INTEGER, events_to   INTEGER,
    visits_from   INTEGER, visits_to   INTEGER,
    mails_from    INTEGER, mails_to    INTEGER
);

-- The local days (date ordinals) an import brought data for: the rules look
-- at these again, and so does the import's removal.
CREATE TABLE import_days (
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    PRIMARY KEY (import_id, day)
) WITHOUT ROWID;
