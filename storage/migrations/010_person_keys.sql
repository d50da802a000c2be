-- Conversations and menus belong to a person in a chat (channel, chat id, user id): in a group,
-- one officer's draft and menu are never another's. Rows of private chats (chat id = user id)
-- keep their meaning; a group row of before is given the chat id as its user.
CREATE TABLE conversations_v2 (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    flow        TEXT NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id, user_id)
);
INSERT INTO conversations_v2
    SELECT channel, chat_id, chat_id, flow, step, data, started_at, updated_at, expires_at
    FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v2 RENAME TO conversations;

-- The person a button was shown to; '' for a message to a whole chat (proactive messages).
ALTER TABLE option_tokens ADD COLUMN user_id TEXT NOT NULL DEFAULT '';

CREATE TABLE last_menus_v2 (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL DEFAULT '',
    menu_id     INTEGER NOT NULL,
    numbered    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (channel, chat_id, user_id)
);
INSERT INTO last_menus_v2 (channel, chat_id, user_id, menu_id, numbered)
    SELECT channel, chat_id, '', menu_id, numbered FROM last_menus;
DROP TABLE last_menus;
ALTER TABLE last_menus_v2 RENAME TO last_menus;
