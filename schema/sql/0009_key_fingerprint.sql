-- A fingerprint of the casebook's key (a keyed hash of a fixed text, which
-- tells nothing of the key): a casebook opened with another key is refused
-- before anything is written, rather than giving everyone new pseudonyms.
CREATE TABLE key_fingerprint (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT NOT NULL
);
