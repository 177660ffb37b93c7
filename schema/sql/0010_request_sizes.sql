-- What the client sent with each request (its size), where the log says it:
-- Squid with a logformat carrying %>st, a CSV with a bytes_sent column. NULL
-- where the log does not: Squid's native `bytes` is what the client received,
-- and the upload rule does not run on it.
ALTER TABLE events ADD COLUMN sent INTEGER;
