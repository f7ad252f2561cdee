-- Issue 14.5: a scheduled reconciliation or end-of-day report is keyed by the fire time its trigger was scheduled
-- for, so a job that runs again for the same firing (Quartz recovering a job whose instance died, a misfire fired
-- late, a standby taking over) finds the report and appends nothing: one report per firing, never two.
-- The key is a column beside the report, not part of it: the canonical bytes, the hash and the report format are
-- unchanged, so every existing chain verifies as before. Reports not made by a schedule (`reconcile --once`,
-- point-in-time reports) and every report stored before this migration have no key (NULL), and many may.
ALTER TABLE reconciliation_reports ADD COLUMN scheduled_for TEXT NULL;

CREATE UNIQUE INDEX ux_reconciliation_reports_schedule ON reconciliation_reports (kind, scheduled_for) WHERE scheduled_for IS NOT NULL;
