-- CAO 81 art. 7, 9 and 10: each time the employer informs the designated body (the works council,
-- else the committee, else the union delegation, else the employees) of the control system or of a
-- substantive change to it, and each evaluation of the system with that body.

CREATE TABLE informations (
    id              INTEGER PRIMARY KEY,
    body            TEXT NOT NULL CHECK (body IN ('works_council', 'prevention_committee', 'union_delegation', 'employees')),
    held_on         TEXT NOT NULL,     -- date (ISO)
    policy_version  INTEGER NOT NULL REFERENCES policy_versions(version),  -- the version presented
    presented       TEXT NOT NULL,     -- what was presented (the purposes, the means, a change...)
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);

CREATE TABLE evaluations (
    id           INTEGER PRIMARY KEY,
    body         TEXT NOT NULL CHECK (body IN ('works_council', 'prevention_committee', 'union_delegation', 'employees')),
    held_on      TEXT NOT NULL,        -- date (ISO)
    discussed    TEXT NOT NULL,
    changes      TEXT NOT NULL DEFAULT '',  -- the changes decided, if any
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
