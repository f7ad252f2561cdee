-- Anomaly screening and the Alertmanager outbox.
-- supply_events.screened / reorgs.screened mark what the anomaly screen has seen, so screening runs after indexing
-- without the indexers knowing about it; re-indexed events after a reorg are new rows and are screened again.
-- alert_outbox holds every page until Alertmanager has accepted it: an Alertmanager outage or a daemon restart
-- delays a page, never loses it.

ALTER TABLE supply_events ADD COLUMN screened INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_supply_events_unscreened ON supply_events (network_id, block_number) WHERE screened = 0;

ALTER TABLE reorgs ADD COLUMN screened INTEGER NOT NULL DEFAULT 0;

CREATE TABLE anomalies (
    id           INTEGER PRIMARY KEY,
    network      TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL UNIQUE,
    dedupe_key   TEXT    NOT NULL,
    severity     TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    block_number INTEGER,
    tx_id        TEXT,
    actor        TEXT,
    amount       TEXT,
    occurred_at  TEXT,
    detected_at  TEXT    NOT NULL,
    -- queued: paged; cooldown: same incident paged within the cooldown; history: older than the paging lookback.
    page_state   TEXT    NOT NULL CHECK (page_state IN ('queued', 'cooldown', 'history')),
    resolved_at  TEXT
);

CREATE INDEX ix_anomalies_dedupe ON anomalies (dedupe_key, detected_at);
CREATE INDEX ix_anomalies_open ON anomalies (rule, network) WHERE resolved_at IS NULL;

CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY,
    anomaly_id      INTEGER NOT NULL REFERENCES anomalies (id),
    action          TEXT    NOT NULL CHECK (action IN ('fire', 'resolve')),
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    last_error      TEXT
);

CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL;
