-- Deliveries already handled (Zalo's webhook and polling may repeat one, also after a restart).
CREATE TABLE seen_updates (
    channel TEXT NOT NULL,
    update_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (channel, update_key)
) WITHOUT ROWID;
CREATE INDEX seen_updates_by_time ON seen_updates (seen_at);
