using Usd1Reconciler.Core.Anomalies;

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

    /// <summary>Anomalies with one key share a cooldown: the same rule on the same network for the same actor (or tx).</summary>
    public static string DedupeKey(Anomaly anomaly) => $"{anomaly.Rule}|{anomaly.Network}|{anomaly.Actor ?? anomaly.TransactionId ?? ""}";

    /// <summary>Evidence without a time (backfilled history) or older than the lookback is stored, never paged.</summary>
    public bool IsHistory(Anomaly anomaly, DateTimeOffset now) => anomaly.OccurredAt is not { } occurred || now - occurred > Lookback;

    /// <summary>
    /// The page state (and note) a new anomaly is stored with; every store provider decides by this one rule, so a
    /// page is queued, held back or recorded unpaged the same way whatever holds the outbox.
    /// </summary>
    /// <param name="history">What <see cref="IsHistory"/> said.</param>
    /// <param name="pagedWithinCooldown">Whether an anomaly with the same dedupe key was queued within <see cref="Cooldown"/>.</param>
    public (string State, string? Note) Decide(bool history, bool pagedWithinCooldown) =>
        history ? ("history", null)
        : pagedWithinCooldown ? ("cooldown", null)
        // Nothing could deliver this page: record that instead of queueing one that would wait for ever.
        : !AlertmanagerConfigured ? ("unpaged", NoAlertmanagerNote)
        : ("queued", null);
}
