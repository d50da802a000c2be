-- Plans confirmed by the chair after an import; the newest replaces the plan in the data files.
CREATE TABLE plan_versions (
    id           INTEGER PRIMARY KEY,
    plan         TEXT NOT NULL,
    source       TEXT NOT NULL,
    officer_id   INTEGER REFERENCES officers (id),
    confirmed_at TEXT NOT NULL
);
