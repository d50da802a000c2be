-- The vote kept secret (issue 26). A cast ballot is a sealed, fixed-size row of the round's box
-- (``ballot_box``): no id, no time, keyed by its random nonce, so neither the file's order nor the
-- write-ahead log tells when it came; the key that opens it lives outside the database
-- (``storage.ballot_seals``: ``seal`` names it). The box is opened and counted only at the
-- close, into ``ballot_counts``; a round closed with too few ballots is ``void`` and counted
-- never.
ALTER TABLE ballot_rounds ADD COLUMN seal TEXT;
ALTER TABLE ballot_rounds ADD COLUMN void INTEGER NOT NULL DEFAULT 0;

CREATE TABLE ballot_box (
    round_id  INTEGER NOT NULL REFERENCES ballot_rounds (id),
    sealed    BLOB NOT NULL,
    PRIMARY KEY (round_id, sealed)
) WITHOUT ROWID;

-- The counts, written at the close. A round open at the upgrade keeps the counters its ballots
-- were added to so far (the close adds the sealed ones).
CREATE TABLE ballot_counts_v2 (
    round_id   INTEGER NOT NULL REFERENCES ballot_rounds (id),
    candidate  TEXT NOT NULL,
    votes      INTEGER NOT NULL,
    PRIMARY KEY (round_id, candidate)
) WITHOUT ROWID;
-- (the old counters were 4-byte big-endian blobs)
INSERT INTO ballot_counts_v2 (round_id, candidate, votes)
    SELECT round_id, candidate,
           (instr('0123456789ABCDEF', substr(hex(votes), 1, 1)) - 1) * 268435456
         + (instr('0123456789ABCDEF', substr(hex(votes), 2, 1)) - 1) * 16777216
         + (instr('0123456789ABCDEF', substr(hex(votes), 3, 1)) - 1) * 1048576
         + (instr('0123456789ABCDEF', substr(hex(votes), 4, 1)) - 1) * 65536
         + (instr('0123456789ABCDEF', substr(hex(votes), 5, 1)) - 1) * 4096
         + (instr('0123456789ABCDEF', substr(hex(votes), 6, 1)) - 1) * 256
         + (instr('0123456789ABCDEF', substr(hex(votes), 7, 1)) - 1) * 16
         + (instr('0123456789ABCDEF', substr(hex(votes), 8, 1)) - 1) * 1
    FROM ballot_counts;
DROP TABLE ballot_counts;
ALTER TABLE ballot_counts_v2 RENAME TO ballot_counts;

-- Deliveries seen are remembered by the hour only: their times no longer line up with a
-- conversation's steps.
UPDATE seen_updates SET seen_at = substr(seen_at, 1, 13) || ':00:00.000000+00:00';
