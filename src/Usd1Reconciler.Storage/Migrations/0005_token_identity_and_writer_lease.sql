-- Issue 12, "decimals are immutable": a token's decimals (and symbol, where the chain has one) are part of the
-- network's identity. They are read from the chain once, kept here, and later reads are checked against them, so an
-- outage or a restart can never turn base units into dollars (a figure computed with decimals 0). A later read that
-- differs is recorded in token_identity_mismatch (a page), never written over the stored identity.
ALTER TABLE networks ADD COLUMN token_decimals INTEGER NULL;
ALTER TABLE networks ADD COLUMN token_symbol TEXT NULL;
ALTER TABLE networks ADD COLUMN token_identity_at TEXT NULL;
ALTER TABLE networks ADD COLUMN token_identity_mismatch TEXT NULL;

-- Issue 12, "one writer": at most one process writes the store. The single row names the holder (pid, the process's
-- start time so a reused pid is not mistaken for the holder, host, verb, since) and its heartbeat. The writer lease
-- creates this same table (IF NOT EXISTS) itself before the first migration runs, because migrating is a write too;
-- keep both definitions identical (SqliteWriterLease.TableDefinition).
CREATE TABLE IF NOT EXISTS writer_lease (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    token         TEXT    NOT NULL,
    pid           INTEGER NOT NULL,
    process_start TEXT    NULL,
    host          TEXT    NOT NULL,
    verb          TEXT    NOT NULL,
    since         TEXT    NOT NULL,
    heartbeat     TEXT    NOT NULL
);
