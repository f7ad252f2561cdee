-- Issue 14.5, as SQLite migration 0008: a scheduled or end-of-day report is keyed by the fire time its trigger was
-- scheduled for, beside the report (never inside its canonical bytes or hash), so a firing run again after a recovery
-- or a takeover appends nothing. Reports not made by a schedule have no key.
ALTER TABLE reconciliation_reports ADD COLUMN scheduled_for timestamptz NULL;

CREATE UNIQUE INDEX ux_reconciliation_reports_schedule ON reconciliation_reports (kind, scheduled_for) WHERE scheduled_for IS NOT NULL;
