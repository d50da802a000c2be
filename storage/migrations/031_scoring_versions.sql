-- The scoring tables a cluster-year took from the province's documents (cumthidua scoring import,
-- /nhapbangdiem): each applied table is a version; the newest is the cluster-year's table (kept in
-- cluster_years.data, as the folder's scoring.yaml was). A version applied after the first
-- self-score was confirmed by the chair, and every unit was told.
CREATE TABLE scoring_versions (
    id               INTEGER PRIMARY KEY,
    cluster_year_id  INTEGER NOT NULL REFERENCES cluster_years (id),
    version          INTEGER NOT NULL,
    scoring          TEXT NOT NULL,
    source           TEXT NOT NULL,
    officer_id       INTEGER REFERENCES officers (id),
    after_scores     INTEGER NOT NULL DEFAULT 0,
    applied_at       TEXT NOT NULL,
    UNIQUE (cluster_year_id, version)
);

-- One-time links gain a kind: the upload of a unit's filled score form (Zalo carries no files).
CREATE TABLE links_031 (
    token_hash   TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('upload', 'download', 'image', 'score_form')),
    officer_id   INTEGER REFERENCES officers (id),
    deliverable  TEXT,
    channel      TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    sha256       TEXT,
    file_name    TEXT,
    mime         TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    cluster_year_id INTEGER REFERENCES cluster_years (id)
);
INSERT INTO links_031 SELECT token_hash, kind, officer_id, deliverable, channel, chat_id, sha256,
    file_name, mime, created_at, expires_at, used_at, cluster_year_id FROM links;
DROP TABLE links;
ALTER TABLE links_031 RENAME TO links;
