-- (After 031, which rebuilt the links table.)
-- Uploads begun on an upload link (junk, cut off or refused ones too): the link is used up when
-- they reach CUMTHIDUA_UPLOAD_LINK_ATTEMPTS, so one link cannot be used to attack for its 24 hours.
ALTER TABLE links ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
