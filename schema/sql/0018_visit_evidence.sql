-- Visits as evidence: a casebook of visits a log platform aggregated (the `visits` import format) has no
-- request behind its visits, so a finding keeps the visits themselves, and an individualisation resolves them.
CREATE TABLE irregularity_events_new (
    irregularity_id  INTEGER NOT NULL REFERENCES irregularities(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('event', 'mail', 'visit')),
    ref_id           INTEGER NOT NULL,
    PRIMARY KEY (irregularity_id, kind, ref_id)
) WITHOUT ROWID;
INSERT INTO irregularity_events_new SELECT irregularity_id, kind, ref_id FROM irregularity_events;
DROP TABLE irregularity_events;
ALTER TABLE irregularity_events_new RENAME TO irregularity_events;

CREATE TABLE case_person_events_new (
    case_person_id  INTEGER NOT NULL REFERENCES case_people(id),
    kind            TEXT NOT NULL CHECK (kind IN ('event', 'mail', 'visit')),
    ref_id          INTEGER NOT NULL,
    PRIMARY KEY (case_person_id, kind, ref_id)
) WITHOUT ROWID;
INSERT INTO case_person_events_new SELECT case_person_id, kind, ref_id FROM case_person_events;
DROP TABLE case_person_events;
ALTER TABLE case_person_events_new RENAME TO case_person_events;
