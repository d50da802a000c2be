-- Notices that may share one message with the others of their chat (the chair's notices of
-- submissions and self-scores): at most one such message a chat in each gathering interval.
ALTER TABLE outbox ADD COLUMN gathered INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_gathered ON outbox (channel, chat_id, id) WHERE gathered = 1;
