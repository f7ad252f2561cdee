-- Forward-only: a released migration is never edited; a change is a new numbered file.
-- Amounts are decimal TEXT in base units (uint256 does not fit an SQLite INTEGER); sums are done in the application
-- with BigInteger, never with SQL SUM(), which would go through floating point.
-- Timestamps are ISO-8601 UTC TEXT so that the audit tables read plainly in any SQLite shell.

CREATE TABLE networks (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('evm', 'solana')),
    chain_id      INTEGER,
    asset         TEXT    NOT NULL,
    registered_at TEXT    NOT NULL
);

-- The tip the index has reached. tip_id is the block hash (EVM) or the newest indexed signature (Solana).
CREATE TABLE cursors (
    network_id  INTEGER PRIMARY KEY REFERENCES networks (id),
    tip_number  INTEGER NOT NULL,
    tip_id      TEXT    NOT NULL,
    indexed_at  TEXT    NOT NULL
);

-- Headers of blocks not yet final, plus the newest final one as an anchor. Invariant: rows above the final block are
-- linked parent_hash => hash, so a header that does not link reveals a reorganisation.
CREATE TABLE blocks (
    network_id  INTEGER NOT NULL REFERENCES networks (id),
    number      INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    parent_hash TEXT    NOT NULL,
    timestamp   TEXT    NOT NULL,
    PRIMARY KEY (network_id, number)
) WITHOUT ROWID;

CREATE TABLE supply_events (
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
    PRIMARY KEY (network_id, tx_id, position, sub_position)
);

CREATE INDEX ix_supply_events_block ON supply_events (network_id, block_number);
CREATE INDEX ix_supply_events_provisional ON supply_events (network_id, block_number) WHERE is_final = 0;

-- Running totals of final events, folded in when events become final, so a supply read never rescans events.
CREATE TABLE supply_totals (
    network_id   INTEGER PRIMARY KEY REFERENCES networks (id),
    final_block  INTEGER NOT NULL,
    minted       TEXT    NOT NULL,
    burned       TEXT    NOT NULL,
    mints        INTEGER NOT NULL,
    burns        INTEGER NOT NULL,
    finalized_at TEXT
);

CREATE TABLE reorgs (
    id                   INTEGER PRIMARY KEY,
    network_id           INTEGER NOT NULL REFERENCES networks (id),
    detected_at          TEXT    NOT NULL,
    common_ancestor      INTEGER NOT NULL,
    common_ancestor_id   TEXT    NOT NULL,
    depth                INTEGER NOT NULL,
    old_tip_id           TEXT    NOT NULL,
    new_tip_id           TEXT    NOT NULL,
    events_removed       INTEGER NOT NULL,
    removed_transactions TEXT    NOT NULL
);

CREATE TABLE ledger_proofs (
    id             INTEGER PRIMARY KEY,
    network_id     INTEGER NOT NULL REFERENCES networks (id),
    block_number   INTEGER NOT NULL,
    onchain_supply TEXT    NOT NULL,
    indexed_supply TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    checked_at     TEXT    NOT NULL
);

CREATE INDEX ix_ledger_proofs_network ON ledger_proofs (network_id, id);
