-- A delivery is kept (its update, as received) from its arrival until the transaction of its
-- event marks it handled: one that a crash cut is answered again at the next start, and its
-- repetition by the platform is still recognised.
ALTER TABLE seen_updates ADD COLUMN payload TEXT;
CREATE INDEX seen_updates_unhandled ON seen_updates (channel) WHERE payload IS NOT NULL;
