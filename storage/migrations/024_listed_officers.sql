-- Officers a province's workbook lists for its units (province import): invitations are made
-- for each; one becomes an officer (officers) only by redeeming an invitation.
CREATE TABLE listed_officers (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    unit_code        TEXT NOT NULL REFERENCES units (code),
    name             TEXT NOT NULL,
    position         TEXT NOT NULL DEFAULT '',
    phone            TEXT,
    email            TEXT,
    telegram         TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX listed_officers_year ON listed_officers (cluster_year_id);
