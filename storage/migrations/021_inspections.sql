-- The cross-inspection round of a cluster-year (kiểm tra chéo): the pairs the chair confirmed,
-- the plan deliverable the inspecting units send their minutes as (through the report intake),
-- and the inspected units' answers (giải trình).
CREATE TABLE inspection_rounds (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    deliverable      TEXT NOT NULL,
    due              TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES officers (id),
    created_at       TEXT NOT NULL
);
CREATE INDEX inspection_rounds_year ON inspection_rounds (cluster_year_id);

CREATE TABLE inspection_pairs (
    round_id   INTEGER NOT NULL REFERENCES inspection_rounds (id),
    inspector  TEXT NOT NULL,
    inspected  TEXT NOT NULL,
    PRIMARY KEY (round_id, inspector)
);

CREATE TABLE inspection_answers (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES inspection_rounds (id),
    unit_code   TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    text        TEXT NOT NULL,
    at          TEXT NOT NULL
);
