-- Hourly aggregates of FINAL supply events by block/slot time (issue 17: redemption velocity over rolling windows
-- without rescanning events). Maintained in the same transaction that marks events final, so they always equal the
-- final events they summarise; final events are never rolled back (a rollback that would touch one is refused), so an
-- hour only ever grows. Events without a block time are not in any hour (untimed_* counts them per network).
-- Amounts are decimal TEXT in base units, summed with BigInteger in the application (never SQL SUM()).
-- Backfill of an existing store: SqliteMigrator runs a code step right after this file, in its transaction, that folds
-- every already-final event in (exact sums need BigInteger, which SQL does not have).
CREATE TABLE redemption_hours (
    network_id INTEGER NOT NULL REFERENCES networks (id),
    hour       TEXT    NOT NULL,
    minted     TEXT    NOT NULL,
    burned     TEXT    NOT NULL,
    mints      INTEGER NOT NULL,
    burns      INTEGER NOT NULL,
    PRIMARY KEY (network_id, hour)
) WITHOUT ROWID;

CREATE TABLE redemption_untimed (
    network_id INTEGER PRIMARY KEY REFERENCES networks (id),
    events     INTEGER NOT NULL
);
