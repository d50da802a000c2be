-- Clusters, units and cluster-years become data; every year-scoped row carries its cluster-year.
-- A database of release 0.1 (one cluster, one year, from a folder) gets one cluster-year, id 1,
-- 'pending' until the first start fills it from the configured folder (bot.services.years):
-- every row of before is attached to it here.
CREATE TABLE clusters (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    province    TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'cụm' CHECK (kind IN ('cụm', 'khối')),
    created_at  TEXT NOT NULL
);

-- Units exist on their own: a unit may belong to another cluster next year (mergers).
CREATE TABLE units (
    code  TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    kind  TEXT NOT NULL
);

CREATE TABLE cluster_years (
    id          INTEGER PRIMARY KEY,
    cluster_id  INTEGER REFERENCES clusters (id),
    year        INTEGER NOT NULL,
    chair       TEXT REFERENCES units (code),
    deputy      TEXT REFERENCES units (code),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('pending', 'open', 'closed')),
    data        TEXT,
    source      TEXT NOT NULL DEFAULT '',
    flagged     TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    closed_at   TEXT,
    UNIQUE (cluster_id, year)
);

CREATE TABLE cluster_year_units (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    unit_code        TEXT NOT NULL REFERENCES units (code),
    PRIMARY KEY (cluster_year_id, unit_code)
);
CREATE INDEX cluster_year_units_unit ON cluster_year_units (unit_code);

INSERT INTO cluster_years (id, cluster_id, year, status, source, created_at)
SELECT 1, NULL, 0, 'pending', 'upgrade from release 0.1', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
WHERE EXISTS (SELECT 1 FROM officers) OR EXISTS (SELECT 1 FROM invitations)
   OR EXISTS (SELECT 1 FROM submissions) OR EXISTS (SELECT 1 FROM deliverable_marks)
   OR EXISTS (SELECT 1 FROM reminder_log) OR EXISTS (SELECT 1 FROM task_marks)
   OR EXISTS (SELECT 1 FROM score_sheets) OR EXISTS (SELECT 1 FROM score_reviews)
   OR EXISTS (SELECT 1 FROM score_explanations) OR EXISTS (SELECT 1 FROM score_lock)
   OR EXISTS (SELECT 1 FROM award_decisions) OR EXISTS (SELECT 1 FROM announcements)
   OR EXISTS (SELECT 1 FROM links) OR EXISTS (SELECT 1 FROM plan_versions)
   OR EXISTS (SELECT 1 FROM cluster_groups);

-- Submissions and their files: versions count per cluster-year.
CREATE TABLE submissions_v2 (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    deliverable      TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    version          INTEGER NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    channel          TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    due              TEXT NOT NULL,
    days_late        INTEGER NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    draft_key        TEXT NOT NULL UNIQUE,
    UNIQUE (cluster_year_id, deliverable, unit_code, version)
);
INSERT INTO submissions_v2 (id, cluster_year_id, deliverable, unit_code, version, officer_id,
    channel, received_at, due, days_late, note, draft_key)
SELECT id, 1, deliverable, unit_code, version, officer_id, channel, received_at, due, days_late,
    note, draft_key FROM submissions;
CREATE TABLE submission_files_v2 (
    submission_id  INTEGER NOT NULL REFERENCES submissions_v2 (id),
    position       INTEGER NOT NULL,
    sha256         TEXT NOT NULL REFERENCES stored_files (sha256),
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    pages          INTEGER,
    caption        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, position)
);
INSERT INTO submission_files_v2 SELECT * FROM submission_files;
DROP TABLE submission_files;
DROP TABLE submissions;
ALTER TABLE submissions_v2 RENAME TO submissions;
ALTER TABLE submission_files_v2 RENAME TO submission_files;

CREATE TABLE deliverable_marks_v2 (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    deliverable      TEXT NOT NULL,
    unit_code        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('excused', 'reopened')),
    reason           TEXT NOT NULL,
    officer_id       INTEGER REFERENCES officers (id),
    at               TEXT NOT NULL,
    PRIMARY KEY (cluster_year_id, deliverable, unit_code)
);
INSERT INTO deliverable_marks_v2
SELECT 1, deliverable, unit_code, status, reason, officer_id, at FROM deliverable_marks;
DROP TABLE deliverable_marks;
ALTER TABLE deliverable_marks_v2 RENAME TO deliverable_marks;

CREATE TABLE reminder_log_v2 (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    key              TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('enqueued', 'skipped')),
    at               TEXT NOT NULL,
    PRIMARY KEY (cluster_year_id, key)
);
INSERT INTO reminder_log_v2 SELECT 1, key, status, at FROM reminder_log;
DROP TABLE reminder_log;
ALTER TABLE reminder_log_v2 RENAME TO reminder_log;

CREATE TABLE task_marks_v2 (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    task             INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('done', 'excused')),
    officer_id       INTEGER REFERENCES officers (id),
    at               TEXT NOT NULL,
    PRIMARY KEY (cluster_year_id, task)
);
INSERT INTO task_marks_v2 SELECT 1, task, status, officer_id, at FROM task_marks;
DROP TABLE task_marks;
ALTER TABLE task_marks_v2 RENAME TO task_marks;

CREATE TABLE score_sheets_v2 (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    unit_code        TEXT NOT NULL,
    version          INTEGER NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    submitted_at     TEXT NOT NULL,
    entries          TEXT NOT NULL,
    UNIQUE (cluster_year_id, unit_code, version)
);
INSERT INTO score_sheets_v2
SELECT id, 1, unit_code, version, officer_id, submitted_at, entries FROM score_sheets;
DROP TABLE score_sheets;
ALTER TABLE score_sheets_v2 RENAME TO score_sheets;

CREATE TABLE score_lock_v2 (
    cluster_year_id  INTEGER PRIMARY KEY REFERENCES cluster_years (id),
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    at               TEXT NOT NULL
);
INSERT INTO score_lock_v2 SELECT 1, officer_id, at FROM score_lock;
DROP TABLE score_lock;
ALTER TABLE score_lock_v2 RENAME TO score_lock;

CREATE TABLE award_decisions_v2 (
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    unit_code        TEXT NOT NULL,
    award            TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    at               TEXT NOT NULL,
    PRIMARY KEY (cluster_year_id, unit_code)
);
INSERT INTO award_decisions_v2 SELECT 1, unit_code, award, officer_id, at FROM award_decisions;
DROP TABLE award_decisions;
ALTER TABLE award_decisions_v2 RENAME TO award_decisions;

ALTER TABLE score_reviews ADD COLUMN cluster_year_id INTEGER REFERENCES cluster_years (id);
UPDATE score_reviews SET cluster_year_id = 1;
CREATE INDEX score_reviews_year ON score_reviews (cluster_year_id);
ALTER TABLE score_explanations ADD COLUMN cluster_year_id INTEGER REFERENCES cluster_years (id);
UPDATE score_explanations SET cluster_year_id = 1;
ALTER TABLE announcements ADD COLUMN cluster_year_id INTEGER REFERENCES cluster_years (id);
UPDATE announcements SET cluster_year_id = 1;
CREATE INDEX announcements_year ON announcements (cluster_year_id);
ALTER TABLE links ADD COLUMN cluster_year_id INTEGER REFERENCES cluster_years (id);
UPDATE links SET cluster_year_id = 1;
ALTER TABLE plan_versions ADD COLUMN cluster_year_id INTEGER REFERENCES cluster_years (id);
UPDATE plan_versions SET cluster_year_id = 1;

-- Cluster-wide rather than yearly: announcement groups, and whom observers and the province
-- board look at. Filled for an upgraded database once cluster-year 1 is known.
ALTER TABLE cluster_groups ADD COLUMN cluster_id INTEGER REFERENCES clusters (id);
ALTER TABLE officers ADD COLUMN cluster_id INTEGER REFERENCES clusters (id);
ALTER TABLE officers ADD COLUMN province TEXT;
ALTER TABLE invitations ADD COLUMN cluster_id INTEGER REFERENCES clusters (id);
ALTER TABLE invitations ADD COLUMN province TEXT;

-- Facts of the year kept in meta become the upgraded cluster-year's.
UPDATE meta SET key = 'ranking.published:1' WHERE key = 'ranking.published';
