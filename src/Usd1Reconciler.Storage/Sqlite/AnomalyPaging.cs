namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>When a new anomaly is paged.</summary>
/// <param name="Cooldown">Another anomaly with the same dedupe key within this time is stored but not paged again.</param>
/// <param name="Lookback">Anomalies whose evidence is older than this (or has no time: backfilled history) are stored, not paged.</param>
public sealed record AnomalyPaging(TimeSpan Cooldown, TimeSpan Lookback);
