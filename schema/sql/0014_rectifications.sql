-- Rectification (GDPR art. 16): what was corrected in a person's directory entry under a rectification
-- request, before and after, and the statements the person asked to have added to their data.
--
-- The audit trail can never be erased and names people by reference only, so the values themselves live
-- here, with the person: erasure and the deletion of the person take these rows along. The trail keeps,
-- in the same transaction, a row naming `employee:<id>`, the request, this row's id, the fields changed and
-- a SHA-256 digest of this row's content (salted with `salt`, so that once the row is gone the digest can
-- no longer be tested against guesses).
CREATE TABLE rectifications (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    employee_id  INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('correction', 'annotation')),
    before       TEXT,            -- correction: JSON, the changed fields as they were
    after        TEXT,            -- correction: JSON, the same fields as they are now
    text         TEXT NOT NULL,   -- correction: the handler's note; annotation: the person's statement
    made_by      TEXT NOT NULL,
    made_at      TEXT NOT NULL,
    salt         TEXT NOT NULL
);
CREATE INDEX rectifications_by_request ON rectifications (request_id);
CREATE INDEX rectifications_by_employee ON rectifications (employee_id);
