-- Categories belong to hosts, not to the domain a first host was seen under:
-- mail.google.com is webmail, www.google.com is not. A site is a registrable
-- domain with one category; every host belongs to one site, and visits and the
-- rollups count per site. A domain's figures are the sum of its sites', a
-- category's the sum of the sites in it.
CREATE TABLE sites (
    id         INTEGER PRIMARY KEY,
    domain_id  INTEGER NOT NULL REFERENCES domains(id),
    category   TEXT  -- NULL: no category
);
CREATE UNIQUE INDEX sites_by_domain ON sites (domain_id, coalesce(category, ''));
CREATE INDEX sites_by_category ON sites (category, domain_id);

-- An older casebook counted each domain under one category: one site per
-- domain, with the domain's own id, so every row already written keeps its meaning.
INSERT INTO sites (id, domain_id, category) SELECT id, id, category FROM domains;
ALTER TABLE hosts ADD COLUMN site_id INTEGER REFERENCES sites(id);
UPDATE hosts SET site_id = domain_id;

ALTER TABLE visits RENAME COLUMN domain_id TO site_id;
ALTER TABLE rollup_hourly RENAME COLUMN domain_id TO site_id;
ALTER TABLE rollup_users RENAME COLUMN domain_id TO site_id;
ALTER TABLE rollup_daily RENAME COLUMN domain_id TO site_id;
ALTER TABLE rollup_durations RENAME COLUMN domain_id TO site_id;
-- rollup_daily_users stays per domain (who used a domain, whatever its sites),
-- rollup_category_users per category (now the sites').

-- Who was online per hour, all sites together: the activity chart folds an
-- hour that fewer people than the policy's minimum group size were online in.
CREATE TABLE rollup_hour_users (
    hour          INTEGER NOT NULL,
    pseudonym_id  INTEGER NOT NULL,
    PRIMARY KEY (hour, pseudonym_id)
) WITHOUT ROWID;
INSERT INTO rollup_hour_users (hour, pseudonym_id) SELECT DISTINCT hour, pseudonym_id FROM rollup_users;
