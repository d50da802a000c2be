-- The emulation pact (giao ước thi đua) of a cluster-year: what the chair sent, and each member
-- unit's confirmation ("Đồng ý ký kết") with the officer, the channel and the time.
CREATE TABLE pacts (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    text             TEXT NOT NULL,
    sha256           TEXT REFERENCES stored_files (sha256),
    file_name        TEXT,
    mime             TEXT,
    due              TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES officers (id),
    created_at       TEXT NOT NULL
);
CREATE INDEX pacts_year ON pacts (cluster_year_id);

CREATE TABLE pact_signatures (
    pact_id     INTEGER NOT NULL REFERENCES pacts (id),
    unit_code   TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    channel     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (pact_id, unit_code)
);
