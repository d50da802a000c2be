-- Self-scores as submitted: each submission is a new version (entries as JSON).
CREATE TABLE score_sheets (
    id            INTEGER PRIMARY KEY,
    unit_code     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    officer_id    INTEGER NOT NULL REFERENCES officers (id),
    submitted_at  TEXT NOT NULL,
    entries       TEXT NOT NULL,
    UNIQUE (unit_code, version)
);

-- The chair's reviewed points for a criterion, with the mandatory reason; the newest counts.
CREATE TABLE score_reviews (
    id          INTEGER PRIMARY KEY,
    unit_code   TEXT NOT NULL,
    criterion   TEXT NOT NULL,
    points      REAL NOT NULL,
    reason      TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    at          TEXT NOT NULL
);

-- A unit's explanation (giải trình) of a reviewed criterion.
CREATE TABLE score_explanations (
    id          INTEGER PRIMARY KEY,
    unit_code   TEXT NOT NULL,
    criterion   TEXT NOT NULL,
    text        TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    at          TEXT NOT NULL
);

-- The chair's lock of the cluster's scores, and the province's decisions recorded later.
CREATE TABLE score_lock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    at          TEXT NOT NULL
);

CREATE TABLE award_decisions (
    unit_code   TEXT PRIMARY KEY,
    award       TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    at          TEXT NOT NULL
);
