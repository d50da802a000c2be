-- Conversation state, per (channel, chat): flow, step, draft data, expiry.
CREATE TABLE conversations (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    flow        TEXT NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

-- Opaque option ids handed to the platform instead of payloads; checked against the chat on use.
CREATE TABLE option_tokens (
    token       TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    value       TEXT NOT NULL,
    label       TEXT NOT NULL,
    menu_id     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX option_tokens_menu ON option_tokens (channel, chat_id, menu_id);

-- The last menu shown in a chat, so that typing its number or label chooses an option.
CREATE TABLE last_menus (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    menu_id     INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE user_prefs (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    language    TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);

-- Content-addressed files: the bytes live under data/files/<sha[:2]>/<sha>.
CREATE TABLE stored_files (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    mime        TEXT NOT NULL,
    stored_at   TEXT NOT NULL
);

-- Small facts about the installation (the bot's username per channel, ...). Never secrets.
CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
