-- Officers: the people acting for a unit (or admins and observers, who may have none).
CREATE TABLE officers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    unit_code     TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'chair', 'member', 'observer')),
    is_primary    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    removed_at    TEXT,
    last_seen_at  TEXT
);
CREATE INDEX officers_unit ON officers (unit_code) WHERE removed_at IS NULL;

-- A chat identity (one per channel and platform user) linked to an officer.
CREATE TABLE identities (
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    officer_id      INTEGER NOT NULL REFERENCES officers (id),
    display_name    TEXT NOT NULL DEFAULT '',
    linked_at       TEXT NOT NULL,
    unlinked_at     TEXT,
    unreachable_at  TEXT,
    PRIMARY KEY (channel, user_id)
);
CREATE INDEX identities_officer ON identities (officer_id);

-- One-time invitation codes, kept only as SHA-256 hashes.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,
    unit_code   TEXT,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'chair', 'member', 'observer')),
    officer_id  INTEGER REFERENCES officers (id),
    created_by  INTEGER REFERENCES officers (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     TEXT,
    revoked_at  TEXT
);

-- Failed joins per chat, for the lockout. The code tried is never stored.
CREATE TABLE join_failures (
    channel  TEXT NOT NULL,
    chat_id  TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX join_failures_chat ON join_failures (channel, chat_id, at);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '{}'
);

-- Every proactive message: a unique key makes enqueueing idempotent; pending rows survive crashes.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    is_group    INTEGER NOT NULL DEFAULT 0,
    officer_id  INTEGER REFERENCES officers (id),
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed', 'unreachable', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    message_id  TEXT,
    last_error  TEXT
);
CREATE INDEX outbox_pending ON outbox (channel, not_before) WHERE status = 'pending';
