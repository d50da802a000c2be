-- One-time links of the bot's web server: upload a report, download a document, show an image.
-- Only the SHA-256 of each token is kept.
CREATE TABLE links (
    token_hash   TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('upload', 'download', 'image')),
    officer_id   INTEGER REFERENCES officers (id),
    deliverable  TEXT,
    channel      TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    sha256       TEXT,
    file_name    TEXT,
    mime         TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
