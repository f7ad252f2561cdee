-- Issue 18: inserts that append. supply_events was keyed (network_id, tx_id, position, sub_position); in a rowid table
-- that key is a second B-tree led by a hash. On a public chain every event has its own transaction hash, so each insert
-- landed at a random place in that index: once it outgrew SQLite's page cache nearly every insert read a page and
-- wrote one back (perf: ~60 % of the daemon's CPU on the rate-limited benchmark was the store).
--
-- The key is now (network_id, block_number, position, sub_position, tx_id): an indexer writes in block order, so new
-- entries append at the right edge of the index and its hot pages stay cached however large the store grows. It is
-- still unique (the exactly-once invariant of DESIGN.md: an event is counted once), and it holds every column of the
-- old key, so any two rows the old key refused are refused here too as long as they carry the same block number —
-- which one event always does within the one chain the store holds: a reorg deletes the abandoned blocks (EVM) or the
-- dropped signatures (Solana) in the same transaction that moves the cursor back, before the winning fork's events
-- are written. EVM log indexes are block-wide, so within a block the key appends in log order; a Solana slot's
-- transactions share instruction indexes, so tx_id stays in the key (after the block, where it no longer scatters).
-- The same order is the chain order the reads use (ORDER BY block_number, position, sub_position, tx_id).
--
-- The table keeps its rowid (the anomaly screen marks events by rowid) and gets the key as a unique index built after
-- the copy. ix_supply_events_block (network_id, block_number) is dropped: the key's leading columns serve those reads.
-- The provisional index is kept as it was. The unscreened index gains the key's order (position, sub_position): the
-- screen reads unscreened events in that order, and with only (network_id, block_number) in it SQLite preferred to
-- walk the new key (no sort) through every screened row instead. Rows are copied in rowid order with their rowids, so
-- the table B-tree is written in order too.
--
-- What the key no longer serves: a lookup by tx_id alone. Only the rollback of dropped Solana signatures asks for one
-- (a rare event); it finds the provisional rows through the provisional index, and its guard against final rows with
-- those signatures reads the network's events.

CREATE TABLE supply_events_v10 (
    network_id    INTEGER NOT NULL REFERENCES networks (id),
    tx_id         TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    sub_position  INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('mint', 'burn')),
    block_number  INTEGER NOT NULL,
    block_hash    TEXT    NOT NULL,
    actor         TEXT,
    holder        TEXT    NOT NULL,
    amount        TEXT    NOT NULL CHECK (length(amount) BETWEEN 1 AND 78),
    block_time    TEXT,
    is_final      INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),
    screened      INTEGER NOT NULL DEFAULT 0
);

INSERT INTO supply_events_v10 (rowid, network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final, screened)
SELECT rowid, network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final, screened
FROM supply_events
ORDER BY rowid;

DROP TABLE supply_events;
ALTER TABLE supply_events_v10 RENAME TO supply_events;

CREATE UNIQUE INDEX ux_supply_events_key ON supply_events (network_id, block_number, position, sub_position, tx_id);
CREATE INDEX ix_supply_events_provisional ON supply_events (network_id, block_number) WHERE is_final = 0;
CREATE INDEX ix_supply_events_unscreened ON supply_events (network_id, block_number, position, sub_position) WHERE screened = 0;
