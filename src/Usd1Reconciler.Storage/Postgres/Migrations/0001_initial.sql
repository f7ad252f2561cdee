-- The PostgreSQL store (issue 14.2): the same tables and invariants as the SQLite store at its migration 0007, in
-- PostgreSQL's own types. Forward-only: a released migration is never edited; a change is a new numbered file
-- (numbers 0001-0049: the stores; 0050-0059: high availability, issue 14 items 3-6).
-- Amounts are numeric(78,0): exact integers up to 10^78 - 1 > 2^256 - 1, never floating point; the application
-- writes and reads them as decimal text (CAST(@x AS numeric), x::text) into BigInteger. USD amounts are
-- numeric(96,18): integers of 10^-18 USD, as UsdAmount holds them. Times are timestamptz (UTC, microseconds).

CREATE TABLE networks (
    id                      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    text        NOT NULL UNIQUE,
    kind                    text        NOT NULL CHECK (kind IN ('evm', 'solana')),
    chain_id                bigint,
    asset                   text        NOT NULL,
    registered_at           timestamptz NOT NULL,
    -- Outage semantics (issue 7): the first failure of the current outage and the latest reason.
    failing_since           timestamptz,
    failing_reason          text,
    -- Issue 12: decimals (and symbol) are part of the network's identity, read once and re-checked.
    token_decimals          integer CHECK (token_decimals BETWEEN 0 AND 77),
    token_symbol            text,
    token_identity_at       timestamptz,
    token_identity_mismatch text
);

-- The tip the index has reached. tip_id is the block hash (EVM) or the newest indexed signature (Solana).
CREATE TABLE cursors (
    network_id bigint      PRIMARY KEY REFERENCES networks (id),
    tip_number bigint      NOT NULL,
    tip_id     text        NOT NULL,
    indexed_at timestamptz NOT NULL
);

-- Headers of blocks not yet final, plus the newest final one as an anchor. Invariant: rows above the final block are
-- linked parent_hash => hash, so a header that does not link reveals a reorganisation.
CREATE TABLE blocks (
    network_id  bigint      NOT NULL REFERENCES networks (id),
    number      bigint      NOT NULL,
    hash        text        NOT NULL,
    parent_hash text        NOT NULL,
    timestamp   timestamptz NOT NULL,
    PRIMARY KEY (network_id, number)
);

-- id: the row id the anomaly screen marks events by (SQLite's rowid); assigned by the database, also under COPY.
-- network_id has no foreign key here, unlike every other table: PostgreSQL checks a foreign key with a lookup per
-- inserted row, a third of the server's CPU in a COPYed backfill (bench store-postgres: 22.3 -> 14.9 CPU-s per
-- 1,000,000 events), while the only writer of this column is CommitBatchAsync with an id RegisterNetworkAsync
-- returned (networks are never deleted).
CREATE TABLE supply_events (
    id           bigint        GENERATED ALWAYS AS IDENTITY,
    network_id   bigint        NOT NULL,
    tx_id        text          NOT NULL,
    position     integer       NOT NULL,
    sub_position integer       NOT NULL,
    kind         text          NOT NULL CHECK (kind IN ('mint', 'burn')),
    block_number bigint        NOT NULL,
    block_hash   text          NOT NULL,
    actor        text,
    holder       text          NOT NULL,
    amount       numeric(78,0) NOT NULL CHECK (amount >= 0),
    block_time   timestamptz,
    is_final     boolean       NOT NULL DEFAULT false,
    screened     boolean       NOT NULL DEFAULT false,
    PRIMARY KEY (network_id, tx_id, position, sub_position)
);

CREATE UNIQUE INDEX ix_supply_events_id ON supply_events (id);
CREATE INDEX ix_supply_events_block ON supply_events (network_id, block_number);
CREATE INDEX ix_supply_events_provisional ON supply_events (network_id, block_number) WHERE NOT is_final;
CREATE INDEX ix_supply_events_unscreened ON supply_events (network_id, block_number) WHERE NOT screened;

-- Running totals of final events, folded in when events become final, so a supply read never rescans events.
CREATE TABLE supply_totals (
    network_id   bigint        PRIMARY KEY REFERENCES networks (id),
    final_block  bigint        NOT NULL,
    minted       numeric(78,0) NOT NULL,
    burned       numeric(78,0) NOT NULL,
    mints        bigint        NOT NULL,
    burns        bigint        NOT NULL,
    finalized_at timestamptz
);

CREATE TABLE reorgs (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network_id           bigint      NOT NULL REFERENCES networks (id),
    detected_at          timestamptz NOT NULL,
    common_ancestor      bigint      NOT NULL,
    common_ancestor_id   text        NOT NULL,
    depth                integer     NOT NULL,
    old_tip_id           text        NOT NULL,
    new_tip_id           text        NOT NULL,
    events_removed       integer     NOT NULL,
    removed_transactions jsonb       NOT NULL,
    screened             boolean     NOT NULL DEFAULT false
);

CREATE TABLE ledger_proofs (
    id             bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network_id     bigint        NOT NULL REFERENCES networks (id),
    block_number   bigint        NOT NULL,
    onchain_supply numeric(78,0) NOT NULL,
    indexed_supply numeric(78,0) NOT NULL,
    status         text          NOT NULL CHECK (status IN ('ok', 'mismatch')),
    checked_at     timestamptz   NOT NULL
);

CREATE INDEX ix_ledger_proofs_network ON ledger_proofs (network_id, id);

-- Hourly aggregates of FINAL supply events by block/slot time (issue 17), maintained in the transaction that marks
-- events final; events without a block time are counted per network in redemption_untimed.
CREATE TABLE redemption_hours (
    network_id bigint        NOT NULL REFERENCES networks (id),
    hour       timestamptz   NOT NULL,
    minted     numeric(78,0) NOT NULL,
    burned     numeric(78,0) NOT NULL,
    mints      bigint        NOT NULL,
    burns      bigint        NOT NULL,
    PRIMARY KEY (network_id, hour)
);

CREATE TABLE redemption_untimed (
    network_id bigint PRIMARY KEY REFERENCES networks (id),
    events     bigint NOT NULL
);

-- Reserve snapshots, rejected feed documents and the hash-chained reconciliation reports.
CREATE TABLE reserve_snapshots (
    id             bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed           text           NOT NULL,
    custodian      text           NOT NULL,
    as_of          timestamptz    NOT NULL,
    received_at    timestamptz    NOT NULL,
    attestation    text,
    content_sha256 text           NOT NULL,
    signature      text,
    total_usd      numeric(96,18) NOT NULL,
    -- One accepted snapshot per feed and as-of time: a second document claiming the same time is a rejection.
    UNIQUE (feed, as_of)
);

CREATE TABLE reserve_accounts (
    snapshot_id       bigint         NOT NULL REFERENCES reserve_snapshots (id) ON DELETE CASCADE,
    account_id        text           NOT NULL,
    asset_class       text           NOT NULL CHECK (asset_class IN ('cash', 'tbills', 'reverse_repo', 'mmf', 'other')),
    currency          text           NOT NULL,
    amount_usd        numeric(96,18) NOT NULL,
    bank              text           NOT NULL,
    days_to_liquidity integer,
    position          integer        NOT NULL,
    PRIMARY KEY (snapshot_id, account_id)
);

CREATE TABLE reserve_rejections (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed           text        NOT NULL,
    received_at    timestamptz NOT NULL,
    reason         text        NOT NULL,
    content_sha256 text,
    body           bytea       NOT NULL
);

CREATE INDEX ix_reserve_rejections_feed ON reserve_rejections (feed, id);

-- hash = sha256(prev_hash || '\n' || canonical). Report ids are 1, 2, 3 ... without gaps, assigned by the append
-- itself under the table lock (not a sequence, which leaves gaps on rollback): the anchor's pruned_through is then
-- also the number of pruned reports. shortfall_usd is text because it must equal the value inside canonical byte for
-- byte (`usd1rec report verify` compares them).
CREATE TABLE reconciliation_reports (
    id            bigint      PRIMARY KEY,
    kind          text        NOT NULL,
    created_at    timestamptz NOT NULL,
    evaluated_at  timestamptz NOT NULL,
    verdict       text        NOT NULL,
    shortfall_usd text        NOT NULL,
    canonical     text        NOT NULL,
    prev_hash     text        NOT NULL,
    hash          text        NOT NULL UNIQUE
);

CREATE TABLE report_chain_anchor (
    id             integer PRIMARY KEY CHECK (id = 1),
    pruned_through bigint  NOT NULL,
    hash           text    NOT NULL
);

-- Anomalies and the Alertmanager outbox: every page stays until Alertmanager accepted it.
CREATE TABLE anomalies (
    id           bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network      text          NOT NULL,
    rule         text          NOT NULL,
    fingerprint  text          NOT NULL UNIQUE,
    dedupe_key   text          NOT NULL,
    severity     text          NOT NULL,
    summary      text          NOT NULL,
    description  text          NOT NULL,
    block_number bigint,
    tx_id        text,
    actor        text,
    amount       numeric(78,0),
    occurred_at  timestamptz,
    detected_at  timestamptz   NOT NULL,
    -- queued: paged; cooldown: same incident paged within the cooldown; history: older than the paging lookback;
    -- unpaged: would have paged, but no Alertmanager was configured (page_note holds the reason).
    page_state   text          NOT NULL CHECK (page_state IN ('queued', 'cooldown', 'history', 'unpaged')),
    page_note    text,
    resolved_at  timestamptz
);

CREATE INDEX ix_anomalies_dedupe ON anomalies (dedupe_key, detected_at);
CREATE INDEX ix_anomalies_open ON anomalies (rule, network) WHERE resolved_at IS NULL;

CREATE TABLE alert_outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    anomaly_id      bigint      NOT NULL REFERENCES anomalies (id),
    action          text        NOT NULL CHECK (action IN ('fire', 'resolve')),
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    last_error      text,
    abandoned_at    timestamptz
);

CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
