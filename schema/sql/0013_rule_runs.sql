-- The rules look again only at the days imports touched since they last ran,
-- unless what they run under (the policy's purposes, thresholds, ...) changed.
CREATE TABLE rule_runs (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    policy  TEXT NOT NULL,  -- JSON: the policy's fields the rules read, as they last ran
    ran_at  TEXT NOT NULL
);
-- 1 once the rules have looked at the days of this import.
ALTER TABLE imports ADD COLUMN ruled INTEGER NOT NULL DEFAULT 0;
