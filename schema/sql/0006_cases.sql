-- The case tracker (CAO 81 art. 12-17; the policy's 2.4-2.6): a decision to control, what the control
-- found, the collective warning of the alarm-bell procedure, the individualisation and what follows
-- for each person identified. Identities live only here (case_people), never in the audit trail.

-- A person in the directory may be a protected employee (staff representative, law of 19 March 1991):
-- a dismissal needs a procedure of its own, so every dismissal step warns.
ALTER TABLE employees ADD COLUMN protected INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1));

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    purpose        INTEGER NOT NULL CHECK (purpose BETWEEN 1 AND 4),
    circumstance   TEXT NOT NULL CHECK (circumstance IN ('permanent', 'periodic', 'event', 'professional')),
    period_from    TEXT NOT NULL,      -- the scope: first and last local day (ISO)
    period_to      TEXT NOT NULL,
    sources        TEXT NOT NULL,      -- JSON list: 'proxy', 'mail'
    reason         TEXT NOT NULL,      -- the justification; for an event, the complaint or suspicion
    state          TEXT NOT NULL CHECK (state IN ('decided', 'controlled', 'warned', 'approved', 'individualised',
                                                  'consulted', 'closed')),
    version        INTEGER NOT NULL DEFAULT 1,  -- raised by every step: two people acting at once are told
    opened_by      TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    approved_by    TEXT,
    outcome        TEXT,
    closed_at      TEXT
);
CREATE INDEX cases_by_state ON cases (state);

-- What the control found for the case: irregularities (global, counted) of its purpose and scope.
CREATE TABLE case_findings (
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    irregularity_id  INTEGER NOT NULL REFERENCES irregularities(id),
    stage            TEXT NOT NULL CHECK (stage IN ('opened', 'control', 'recurrence')),
    added_at         TEXT NOT NULL,
    PRIMARY KEY (case_id, irregularity_id)
) WITHOUT ROWID;

-- The collective warning of the alarm-bell procedure (purpose 4): the text all employees got, how, and
-- the moment it counts from. Only a recurrence after it may be individualised.
CREATE TABLE case_warnings (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    rules      TEXT NOT NULL,      -- JSON list of the rules warned about
    told_how   TEXT NOT NULL,
    told_at    TEXT NOT NULL,      -- UTC moment it counts from
    issued_by  TEXT NOT NULL,
    issued_at  TEXT NOT NULL
);

-- Each person an individualisation identified, with where their track stands.
CREATE TABLE case_people (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    employee_id   INTEGER NOT NULL REFERENCES employees(id),
    state         TEXT NOT NULL CHECK (state IN ('identified', 'not_informed', 'notified', 'invited', 'heard',
                                                 'suspended', 'sanctioned')),
    first_fact    TEXT NOT NULL,   -- UTC moment of the earliest event resolved to them
    events        INTEGER NOT NULL,
    hearing_at    TEXT,            -- the invitation's date and time (UTC) and place
    hearing_place TEXT,
    suspension    TEXT,            -- why the contract is suspended (the exception to the hearing)
    known_on      TEXT,            -- dismissal: the day the person entitled to dismiss knew the facts
    known_reason  TEXT,
    UNIQUE (case_id, employee_id)
);

-- The events (or mail events) resolved to a person: what a copy of their data and a hold are made of.
CREATE TABLE case_person_events (
    case_person_id  INTEGER NOT NULL REFERENCES case_people(id),
    kind            TEXT NOT NULL CHECK (kind IN ('event', 'mail')),
    ref_id          INTEGER NOT NULL,
    PRIMARY KEY (case_person_id, kind, ref_id)
) WITHOUT ROWID;

-- The timeline: every step taken, by whom, when, with what (no identity: people by case_people id).
CREATE TABLE case_steps (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    case_person_id  INTEGER REFERENCES case_people(id),
    verb            TEXT NOT NULL,
    at              TEXT NOT NULL,
    by              TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}',  -- JSON
    late            INTEGER NOT NULL DEFAULT 0   -- taken after its legal deadline (recorded, not blocked)
);
CREATE INDEX case_steps_by_case ON case_steps (case_id, id);

-- Letters saved on the case, each edit a new version (the Dutch text is the one sent).
CREATE TABLE case_letters (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    case_person_id  INTEGER REFERENCES case_people(id),
    kind            TEXT NOT NULL CHECK (kind IN ('warning', 'notification', 'invitation', 'minutes', 'sanction')),
    version         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    saved_by        TEXT NOT NULL,
    saved_at        TEXT NOT NULL
);
CREATE INDEX case_letters_by_case ON case_letters (case_id, kind);

-- The sanctions imposed: the register the law of 8 April 1965 asks for.
CREATE TABLE sanctions (
    id              INTEGER PRIMARY KEY,
    case_person_id  INTEGER NOT NULL UNIQUE REFERENCES case_people(id),
    kind            TEXT NOT NULL,   -- a sanction of the work rules (as the policy lists it), restriction, dismissal, none
    detail          TEXT NOT NULL DEFAULT '',
    restricts       TEXT,            -- restriction: internet, social_media or mail
    partial         INTEGER NOT NULL DEFAULT 0,
    until           TEXT,            -- restriction: until this day; NULL permanent
    decided_on      TEXT NOT NULL,   -- the day of the decision
    decision_due    TEXT,            -- dismissal: 3 working days after certain knowledge (art. 35)
    reasons_due     TEXT,            -- dismissal: 3 working days after the dismissal
    reasons_on      TEXT,            -- when the written reasons were delivered
    reasons_by      TEXT             -- registered_letter, bailiff, signed_duplicate
);
