-- Issue 15 on PostgreSQL: the control plane's record, the same tables and invariants as the SQLite store's migration
-- 0009. governance_changes holds every privileged action (role, minter, pause, denylist, ownership, upgrade; Solana
-- authorities and freezes), keyed like supply events by (network, tx, position, sub_position). Rows are written in the
-- batch transaction that moves the cursor over their blocks and deleted by the rollback that removes those blocks, both
-- fenced by the network's writer lease, so they are exactly-once and reorg-safe like supply. A row is final when its
-- block is at or below the network's final block (supply_totals.final_block): no flag to keep in step.
-- old_value/new_value are text because they hold addresses, booleans and allowances alike; an allowance is the
-- uint256 as decimal digits, exact, and is only ever compared and folded as BigInteger, never summed here.
-- The folded state is never stored: it is folded again from these rows when needed.
CREATE TABLE governance_changes (
    network_id   bigint      NOT NULL REFERENCES networks (id),
    tx_id        text        NOT NULL,
    position     integer     NOT NULL,
    sub_position integer     NOT NULL,
    block_number bigint      NOT NULL,
    block_hash   text        NOT NULL,
    block_time   timestamptz,
    kind         text        NOT NULL,
    subject      text        NOT NULL,
    old_value    text,
    new_value    text,
    actor        text,
    PRIMARY KEY (network_id, tx_id, position, sub_position)
);

CREATE INDEX ix_governance_changes_block ON governance_changes (network_id, block_number);

-- The latest governance proof per network: the block compared at, the outcome, the differences ([subject, folded,
-- chain] triples) and the hash of the folded state it compared (what reconciliation reports record).
CREATE TABLE governance_proofs (
    network_id   bigint      PRIMARY KEY REFERENCES networks (id),
    block_number bigint      NOT NULL,
    status       text        NOT NULL CHECK (status IN ('ok', 'mismatch', 'stale')),
    differences  jsonb       NOT NULL,
    state_hash   text        NOT NULL,
    reason       text,
    checked_at   timestamptz NOT NULL
);
