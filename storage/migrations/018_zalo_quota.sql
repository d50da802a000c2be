-- Messages sent per Zalo bot and calendar month (Zalo's free plan has a monthly quota), and
-- whether the administrators were already warned that month.
CREATE TABLE zalo_quota (
    bot_id  TEXT NOT NULL,
    month   TEXT NOT NULL,
    sent    INTEGER NOT NULL DEFAULT 0,
    warned  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bot_id, month)
);
