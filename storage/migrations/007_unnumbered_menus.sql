-- A menu shown beside a question that takes numbers (a score) is chosen by label only.
ALTER TABLE last_menus ADD COLUMN numbered INTEGER NOT NULL DEFAULT 1;
