-- Group chats linked as the cluster's announcement groups (one or more per channel).
CREATE TABLE cluster_groups (
    channel      TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    linked_by    INTEGER REFERENCES officers (id),
    linked_at    TEXT NOT NULL,
    unlinked_at  TEXT,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    text         TEXT NOT NULL,
    sha256       TEXT,
    file_name    TEXT,
    mime         TEXT,
    audience     TEXT NOT NULL CHECK (audience IN ('groups', 'officers', 'units')),
    units        TEXT NOT NULL DEFAULT '[]',
    send_at      TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES officers (id),
    created_at   TEXT NOT NULL,
    cancelled_at TEXT,
    total        INTEGER NOT NULL DEFAULT 0,
    reported_at  TEXT
);

CREATE TABLE announcement_acks (
    announcement_id  INTEGER NOT NULL REFERENCES announcements (id),
    officer_id       INTEGER NOT NULL REFERENCES officers (id),
    unit_code        TEXT,
    at               TEXT NOT NULL,
    PRIMARY KEY (announcement_id, officer_id)
);
