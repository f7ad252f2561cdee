-- Reserve snapshots, rejected feed documents and the hash-chained reconciliation reports.
-- USD amounts are exact decimal TEXT (never REAL): the application parses them into integers of 10^-18 USD.

CREATE TABLE reserve_snapshots (
    id             INTEGER PRIMARY KEY,
    feed           TEXT    NOT NULL,
    custodian      TEXT    NOT NULL,
    as_of          TEXT    NOT NULL,
    received_at    TEXT    NOT NULL,
    attestation    TEXT,
    content_sha256 TEXT    NOT NULL,
    signature      TEXT,
    total_usd      TEXT    NOT NULL,
    -- One accepted snapshot per feed and as-of time: a second document claiming the same time is a rejection.
    UNIQUE (feed, as_of)
);

CREATE TABLE reserve_accounts (
    snapshot_id       INTEGER NOT NULL REFERENCES reserve_snapshots (id) ON DELETE CASCADE,
    account_id        TEXT    NOT NULL,
    asset_class       TEXT    NOT NULL CHECK (asset_class IN ('cash', 'tbills', 'reverse_repo', 'mmf', 'other')),
    currency          TEXT    NOT NULL,
    amount_usd        TEXT    NOT NULL,
    bank              TEXT    NOT NULL,
    days_to_liquidity INTEGER,
    position          INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, account_id)
) WITHOUT ROWID;

-- Every document a feed delivered that was not accepted, with the reason and the bytes, for audit.
CREATE TABLE reserve_rejections (
    id             INTEGER PRIMARY KEY,
    feed           TEXT    NOT NULL,
    received_at    TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    content_sha256 TEXT,
    body           BLOB    NOT NULL
);

CREATE INDEX ix_reserve_rejections_feed ON reserve_rejections (feed, id);

-- hash = sha256(prev_hash || '\n' || canonical); verdict, kind, times and shortfall are copies of values inside
-- canonical, kept as columns for listing and checked against it by `usd1rec report verify`.
CREATE TABLE reconciliation_reports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    evaluated_at  TEXT    NOT NULL,
    verdict       TEXT    NOT NULL,
    shortfall_usd TEXT    NOT NULL,
    canonical     TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL UNIQUE
);

-- The hash the oldest remaining report links to once older reports were pruned (genesis until then).
CREATE TABLE report_chain_anchor (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL,
    hash           TEXT    NOT NULL
);
