-- Where the case stood after each step: the board report counts the cases by where they stood at the end
-- of its period, not where they stand today (a case closed since was open then).
ALTER TABLE case_steps ADD COLUMN case_state TEXT CHECK (case_state IS NULL OR case_state IN
    ('decided', 'controlled', 'warned', 'approved', 'individualised', 'consulted', 'closed'));

-- The steps taken before this column, filled in from what each step does (casebook/cases/procedure.py):
-- a step on the case leads to its fixed state;
UPDATE case_steps SET case_state = CASE verb
    WHEN 'open' THEN 'decided'
    WHEN 'warn' THEN 'warned'
    WHEN 'approve' THEN 'approved'
    WHEN 'individualise' THEN 'individualised'
    WHEN 'consult' THEN 'consulted'
    WHEN 'close' THEN 'closed'
END
WHERE verb IN ('open', 'warn', 'approve', 'individualise', 'consult', 'close');

-- a control to what it found (casebook/cases/effects.py, control): after a collective warning, a
-- recurrence found leads on and none keeps the case warned; otherwise findings lead on and none closes it;
UPDATE case_steps SET case_state = CASE
    WHEN json_extract(detail, '$.stage') = 'recurrence' THEN
        CASE WHEN coalesce(json_extract(detail, '$.found'), 0) > 0 THEN 'controlled' ELSE 'warned' END
    WHEN EXISTS (SELECT 1 FROM case_findings f WHERE f.case_id = case_steps.case_id AND f.added_at <= case_steps.at)
        THEN 'controlled'
    ELSE 'closed'
END
WHERE verb = 'control';

-- a step on a person's track, or a letter saved, leaves the case where the step on the case before it left it.
UPDATE case_steps SET case_state = (
    SELECT b.case_state FROM case_steps b
    WHERE b.case_id = case_steps.case_id AND b.id < case_steps.id AND b.case_state IS NOT NULL
    ORDER BY b.id DESC LIMIT 1
)
WHERE case_state IS NULL;
