-- One message counted once (issue 14). A mail event is one message to one
-- recipient with its final outcome, whatever attempts, filter hops and
-- forwards it took; bounce and delay notices and address-verification probes
-- are kept apart by their kind: they are not mail anyone sent.
ALTER TABLE mail_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'message'
    CHECK (kind IN ('message', 'notice', 'probe'));
-- What was imported before: the null sender's mail was notices, and the
-- verification statuses were probes. (Its repeated attempts cannot be told
-- apart any more: only a new import of the log counts them once.)
UPDATE mail_events SET kind = 'notice' WHERE sender_id IS NULL;
UPDATE mail_events SET kind = 'probe' WHERE status IN ('deliverable', 'undeliverable');
DROP INDEX mail_events_by_time;
CREATE INDEX mail_events_by_time ON mail_events (ts, kind, direction, size);

-- The rows of messages still open that an import took back from the import
-- it continues (JSON, as they were): removing it puts them back.
ALTER TABLE import_state ADD COLUMN taken_mails TEXT NOT NULL DEFAULT '[]';
