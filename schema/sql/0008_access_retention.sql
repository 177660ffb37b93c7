-- The employee's rights (GDPR art. 12-21, policy 2.5) and retention: requests with their deadlines,
-- legal holds on a case's evidence, and the record of every purge.

-- An account with the employee role is the person in the directory it is linked to; without a link it
-- can file nothing and sees no data.
ALTER TABLE users ADD COLUMN employee_id INTEGER REFERENCES employees(id);

CREATE TABLE requests (
    id                INTEGER PRIMARY KEY,
    employee_id       INTEGER NOT NULL REFERENCES employees(id),
    kind              TEXT NOT NULL CHECK (kind IN ('information', 'access', 'rectification', 'erasure', 'objection')),
    text              TEXT NOT NULL DEFAULT '',
    received_on       TEXT NOT NULL,   -- date (ISO): the month runs from here
    due_on            TEXT NOT NULL,   -- one calendar month later (GDPR 12(3))
    extended_to       TEXT,            -- at most two months more, reason recorded within the first month
    extension_reason  TEXT,
    status            TEXT NOT NULL CHECK (status IN ('received', 'in_progress', 'extended', 'granted', 'partly',
                                                      'refused', 'done')),
    decision_reason   TEXT,
    filed_by          TEXT NOT NULL,   -- the account that filed it
    identity_check    TEXT,            -- filed on the employee's behalf: how their identity was checked
    decided_by        TEXT,
    decided_on        TEXT,
    done_on           TEXT
);
CREATE INDEX requests_by_employee ON requests (employee_id);
CREATE INDEX requests_by_status ON requests (status, due_on);

CREATE TABLE holds (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    reason       TEXT NOT NULL,
    placed_by    TEXT NOT NULL,
    placed_at    TEXT NOT NULL,
    released_by  TEXT,
    released_at  TEXT
);
CREATE INDEX holds_by_case ON holds (case_id);

CREATE TABLE purges (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    by       TEXT NOT NULL,
    cutoff   TEXT NOT NULL,   -- rows from before this moment (UTC) were deleted
    counts   TEXT NOT NULL    -- JSON: rows deleted per table
);
