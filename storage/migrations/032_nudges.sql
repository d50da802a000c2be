-- The nudges officers asked for: a unit's reminder of a report put off to a later day (never
-- past its deadline), a report said to have gone on paper (the chair confirms or refuses it;
-- a confirmed one is the chair's mark "paper" in deliverable_marks), and the officers who
-- turned their unit's weekly digest off.
CREATE TABLE reminder_snoozes (
    cluster_year_id  INTEGER NOT NULL,
    deliverable      TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    until_day        TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    created_at       TEXT NOT NULL,
    woken_at         TEXT,
    PRIMARY KEY (cluster_year_id, deliverable, unit_code)
);

CREATE TABLE paper_submissions (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL,
    deliverable      TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    claimed_at       TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending',
    decided_by       INTEGER REFERENCES officers (id),
    decided_at       TEXT
);
CREATE INDEX paper_submissions_report ON paper_submissions (cluster_year_id, deliverable, unit_code);

CREATE TABLE digest_optouts (
    officer_id  INTEGER PRIMARY KEY REFERENCES officers (id),
    at          TEXT NOT NULL
);

-- The chat identities that have written to the bot: the first message of any other is answered
-- with the help too. Everybody known before this migration has written already.
CREATE TABLE first_contacts (
    channel  TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);
INSERT OR IGNORE INTO first_contacts (channel, user_id, at)
    SELECT channel, user_id, linked_at FROM identities;
INSERT OR IGNORE INTO first_contacts (channel, user_id, at)
    SELECT channel, user_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') FROM user_prefs;

-- A mark may now also say the chair confirmed the report came on paper.
CREATE TABLE deliverable_marks_v3 (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    deliverable      TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('excused', 'reopened', 'paper')),
    reason           TEXT NOT NULL,
    officer_id       INTEGER REFERENCES officers (id),
    at               TEXT NOT NULL,
    PRIMARY KEY (cluster_year_id, deliverable, unit_code)
);
INSERT INTO deliverable_marks_v3
SELECT cluster_year_id, deliverable, unit_code, status, reason, officer_id, at FROM deliverable_marks;
DROP TABLE deliverable_marks;
ALTER TABLE deliverable_marks_v3 RENAME TO deliverable_marks;
