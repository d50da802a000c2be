-- The year-end vote. Who voted (ballot_voters) and what was voted (ballot_counts) are kept
-- apart: the counts are one counter per candidate and round, created in ballot order when the
-- round opens; every cast rewrites every counter of the round in place (a 4-byte value, so the
-- rows never move), so they hold no voter, no time and no order of arrival.
CREATE TABLE ballots (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    title            TEXT NOT NULL,
    seats            INTEGER NOT NULL,
    rule             TEXT NOT NULL,
    electorate       TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES officers (id),
    created_at       TEXT NOT NULL,
    decided          TEXT
);
CREATE INDEX ballots_year ON ballots (cluster_year_id);

CREATE TABLE ballot_rounds (
    id              INTEGER PRIMARY KEY,
    ballot_id       INTEGER NOT NULL REFERENCES ballots (id),
    round           INTEGER NOT NULL,
    candidates      TEXT NOT NULL,
    seats           INTEGER NOT NULL,
    elected_before  TEXT NOT NULL,
    opened_at       TEXT NOT NULL,
    closes_at       TEXT NOT NULL,
    closed_at       TEXT,
    UNIQUE (ballot_id, round)
);

CREATE TABLE ballot_voters (
    round_id   INTEGER NOT NULL REFERENCES ballot_rounds (id),
    unit_code  TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_code)
) WITHOUT ROWID;

CREATE TABLE ballot_counts (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES ballot_rounds (id),
    candidate  TEXT NOT NULL,
    votes      BLOB NOT NULL
);
CREATE INDEX ballot_counts_round ON ballot_counts (round_id);

-- The officer a unit names to cast its ballot instead of its primary officer.
CREATE TABLE ballot_delegates (
    ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
    unit_code   TEXT NOT NULL,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    PRIMARY KEY (ballot_id, unit_code)
) WITHOUT ROWID;
