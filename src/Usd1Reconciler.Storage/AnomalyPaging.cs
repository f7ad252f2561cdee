namespace Usd1Reconciler.Storage;

/// <summary>When a new anomaly is paged.</summary>
/// <param name="Cooldown">Another anomaly with the same dedupe key within this time is stored but not paged again.</param>
/// <param name="Lookback">Anomalies whose evidence is older than this (or has no time: backfilled history) are stored, not paged.</param>
/// <param name="AlertmanagerConfigured">
/// False when no Alertmanager is configured: an anomaly that would page is stored as <c>unpaged</c> with
/// <see cref="NoAlertmanagerNote"/> and gets no outbox entry, because nothing could ever deliver it — so it never
/// counts as pending.
/// </param>
public sealed record AnomalyPaging(TimeSpan Cooldown, TimeSpan Lookback, bool AlertmanagerConfigured = true)
{
    /// <summary>The page note of an anomaly recorded while no Alertmanager is configured.</summary>
    public const string NoAlertmanagerNote = "not paged: no Alertmanager configured";
}
