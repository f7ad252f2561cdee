-- Issue 18 on PostgreSQL, as SQLite migration 0010: supply_events keyed by block first. The primary key was
-- (network_id, tx_id, position, sub_position); on a public chain every event has its own transaction hash, so every
-- insert (the batch COPY included) landed at a random leaf of that B-tree, and once the index outgrew shared_buffers
-- nearly every row read a page and dirtied it.
--
-- The key is now (network_id, block_number, position, sub_position, tx_id): an indexer writes in block order, so new
-- entries append at the right edge of the index however large the store grows. It is still unique (DESIGN.md's
-- exactly-once invariant: an event is counted once) and holds every column of the old key, so any two rows the old key
-- refused are refused here too as long as they carry the same block number, which one event always does within the one
-- chain the store holds: a reorg deletes the abandoned blocks (EVM) or the dropped signatures (Solana) in the
-- transaction that moves the cursor back, before the winning fork's events are written. A Solana slot's transactions
-- share instruction indexes, so tx_id stays in the key, after the block where it no longer scatters. The same order is
-- the chain order of the reads (ORDER BY block_number, position, sub_position, tx_id).
--
-- Works on a populated store in one transaction: the old key's rows are unique under the new key (it holds the old
-- key's columns), so building it cannot fail. The new key is built by one sort of the table while the migration holds
-- the table's lock (writers and readers of supply_events wait; other instances wait on the migration lock), so on a
-- large store `db migrate` belongs in a maintenance window. id keeps its unique index (the anomaly screen marks events
-- by id).
-- ix_supply_events_block (network_id, block_number) goes: the key's leading columns serve those reads (rollback by
-- block, finality, the newest block time). The unscreened index gains the key's order (position, sub_position): the
-- screen reads unscreened events in that order, and with only the block in the index the planner may prefer walking
-- the key (no sort) through every screened row. The provisional index is kept as it was.
--
-- A lookup by tx_id alone is no longer served by any index of the table. The one statement that asked for it, the
-- rollback of dropped Solana signatures, now names each signature's slot and seeks the key by (network_id,
-- block_number) (RollbackRemoval); governance_changes, which is keyed by signature, is unchanged.

ALTER TABLE supply_events DROP CONSTRAINT supply_events_pkey;
ALTER TABLE supply_events ADD CONSTRAINT supply_events_pkey PRIMARY KEY (network_id, block_number, position, sub_position, tx_id);

DROP INDEX ix_supply_events_block;
DROP INDEX ix_supply_events_unscreened;
CREATE INDEX ix_supply_events_unscreened ON supply_events (network_id, block_number, position, sub_position) WHERE NOT screened;
