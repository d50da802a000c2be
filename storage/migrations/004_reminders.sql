-- Which reminder rungs were handled (enqueued, or skipped as stale), so each is acted on once.
CREATE TABLE reminder_log (
    key     TEXT PRIMARY KEY,
    status  TEXT NOT NULL CHECK (status IN ('enqueued', 'skipped')),
    at      TEXT NOT NULL
);

-- The chair's own tasks marked done (or excused): their reminders stop.
CREATE TABLE task_marks (
    task        INTEGER PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('done', 'excused')),
    officer_id  INTEGER REFERENCES officers (id),
    at          TEXT NOT NULL
);
