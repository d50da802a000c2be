-- The province's web pages: one-time sign-in links the bot gives in chat, the browser sessions
-- they open, and each person's secret calendar feed. Only the SHA-256 of each token is kept; the
-- chat identity that asked is kept too (the page checks it is still that officer's, and speaks
-- the language it chose).
CREATE TABLE web_signin_links (
    token_hash  TEXT PRIMARY KEY,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

CREATE TABLE web_sessions (
    token_hash  TEXT PRIMARY KEY,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX web_sessions_officer ON web_sessions (officer_id);

CREATE TABLE calendar_tokens (
    token_hash  TEXT PRIMARY KEY,
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX calendar_tokens_officer ON calendar_tokens (officer_id);
