-- Whether a request's answer was a page, where the log says what it was (Squid's content type, a CSV's
-- content_type column): 1 a page (text/html), 0 something else (an image, a script, a style sheet, data),
-- NULL not said (an HTTPS tunnel, a refusal, a log without types). The rules count the pages a person
-- opened, not the adverts and embedded content that came with them.
ALTER TABLE events ADD COLUMN page INTEGER;
