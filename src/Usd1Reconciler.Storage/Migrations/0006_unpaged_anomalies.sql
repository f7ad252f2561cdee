-- Anomalies recorded while no Alertmanager is configured are 'unpaged' (page_note says why), with no outbox entry:
-- nothing waits to be delivered, so usd1_alerts_pending stays 0 and Usd1AlertsUndelivered cannot fire for pushes that
-- nobody could receive. alert_outbox.abandoned_at marks entries queued before (by an older release, or while an
-- Alertmanager was configured) that a daemon without one will never deliver; they stay as a record, not as pending.
--
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt: the outbox (child) first, so dropping
-- the old anomalies table leaves no row referring to it while foreign keys are enforced. Renaming a table rewrites
-- the references to it, so alert_outbox ends up referring to anomalies again. Ids are kept.

CREATE TABLE anomalies_v6 (
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
    -- queued: paged; cooldown: same incident paged within the cooldown; history: older than the paging lookback;
    -- unpaged: would have paged, but no Alertmanager was configured (page_note holds the reason).
    page_state   TEXT    NOT NULL CHECK (page_state IN ('queued', 'cooldown', 'history', 'unpaged')),
    page_note    TEXT,
    resolved_at  TEXT
);

INSERT INTO anomalies_v6 (id, network, rule, fingerprint, dedupe_key, severity, summary, description, block_number, tx_id, actor, amount, occurred_at, detected_at, page_state, resolved_at)
SELECT id, network, rule, fingerprint, dedupe_key, severity, summary, description, block_number, tx_id, actor, amount, occurred_at, detected_at, page_state, resolved_at
FROM anomalies;

CREATE TABLE alert_outbox_v6 (
    id              INTEGER PRIMARY KEY,
    anomaly_id      INTEGER NOT NULL REFERENCES anomalies_v6 (id),
    action          TEXT    NOT NULL CHECK (action IN ('fire', 'resolve')),
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    last_error      TEXT,
    abandoned_at    TEXT
);

INSERT INTO alert_outbox_v6 (id, anomaly_id, action, created_at, attempts, next_attempt_at, delivered_at, last_error)
SELECT id, anomaly_id, action, created_at, attempts, next_attempt_at, delivered_at, last_error
FROM alert_outbox;

DROP TABLE alert_outbox;
DROP TABLE anomalies;
ALTER TABLE anomalies_v6 RENAME TO anomalies;
ALTER TABLE alert_outbox_v6 RENAME TO alert_outbox;

CREATE INDEX ix_anomalies_dedupe ON anomalies (dedupe_key, detected_at);
CREATE INDEX ix_anomalies_open ON anomalies (rule, network) WHERE resolved_at IS NULL;
CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
