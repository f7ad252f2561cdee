-- Issue 15: the control plane. governance_changes holds every privileged action (role, minter, pause, denylist,
-- ownership, upgrade; Solana authorities and freezes) keyed like supply events by (network, tx, position,
-- sub_position). Rows are written in the batch transaction that moves the cursor over their blocks and deleted by
-- the rollback that removes those blocks, so they are exactly-once and reorg-safe like supply. A row is final when
-- its block is at or below the network's final block (supply_totals.final_block): there is no flag to keep in step.
-- The folded state is never stored: it is folded again from these rows when needed.
CREATE TABLE governance_changes (
    network_id   INTEGER NOT NULL REFERENCES networks (id),
    tx_id        TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    sub_position INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash   TEXT    NOT NULL,
    block_time   TEXT,
    kind         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    actor        TEXT,
    PRIMARY KEY (network_id, tx_id, position, sub_position)
) WITHOUT ROWID;

CREATE INDEX ix_governance_changes_block ON governance_changes (network_id, block_number);

-- The latest governance proof per network: the block compared at, the outcome, the differences (JSON) and the hash of
-- the folded state it compared (what reconciliation reports record).
CREATE TABLE governance_proofs (
    network_id   INTEGER PRIMARY KEY REFERENCES networks (id),
    block_number INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('ok', 'mismatch', 'stale')),
    differences  TEXT    NOT NULL,
    state_hash   TEXT    NOT NULL,
    reason       TEXT,
    checked_at   TEXT    NOT NULL
);
