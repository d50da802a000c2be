-- What units sent the chair: each confirmed submission is a new version; nothing is deleted.
CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY,
    deliverable  TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    officer_id   INTEGER NOT NULL REFERENCES officers (id),
    channel      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    due          TEXT NOT NULL,
    days_late    INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    draft_key    TEXT NOT NULL UNIQUE,
    UNIQUE (deliverable, unit_code, version)
);

CREATE TABLE submission_files (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id),
    position       INTEGER NOT NULL,
    sha256         TEXT NOT NULL REFERENCES stored_files (sha256),
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    pages          INTEGER,
    caption        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, position)
);

-- The chair's marks on a unit's deliverable: excused, or reopened (asks for a new version).
CREATE TABLE deliverable_marks (
    deliverable  TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('excused', 'reopened')),
    reason       TEXT NOT NULL,
    officer_id   INTEGER REFERENCES officers (id),
    at           TEXT NOT NULL,
    PRIMARY KEY (deliverable, unit_code)
);
