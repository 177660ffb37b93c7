-- The GDPR's documents of the control (privacy notice, record of processing activities, impact
-- assessment draft), kept as versions beside the policy: a new version of a kind only when its
-- content changed, so the notice handed to the employees can be shown later exactly as it was.

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,     -- 'notice', 'processing-record', 'dpia'
    version         INTEGER NOT NULL,  -- per kind: 1, 2, ...
    policy_version  INTEGER NOT NULL REFERENCES policy_versions(version),
    made_at         TEXT NOT NULL,
    made_by         TEXT NOT NULL,     -- the account's name, as in the audit trail
    content_hash    TEXT NOT NULL,     -- SHA-256 of the body: what "changed" compares
    document        TEXT NOT NULL,     -- JSON: the document model, to render again (PDF)
    markdown        TEXT NOT NULL,     -- the Markdown export exactly as made
    UNIQUE (kind, version)
);
