using System.Globalization;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The provider-neutral half of both anomaly stores (<see cref="Sqlite.SqliteAnomalyStore"/>,
/// <see cref="Postgres.PostgresAnomalyStore"/>): which page state a new anomaly gets and whether it is queued, how a
/// condition anomaly is opened, refreshed or paged late, which resolutions are pushed, which reorgs become anomalies.
/// The provider opens the transaction and gives its SQL steps as an <see cref="IAnomalyTransaction"/>; everything
/// here runs inside that one transaction, so a crash never pages twice nor forgets a page. Invariants kept here,
/// alike for both: an anomaly stored already (same fingerprint) is neither stored again nor paged; a page is queued
/// only with an Alertmanager configured; an open condition is paged at most once per <c>refreshAfter</c>.
/// </summary>
internal static class AnomalyRecording
{
    /// <summary>Stores each new anomaly and queues its page where <see cref="AnomalyPaging.Decide"/> says; returns those that were new.</summary>
    public static async Task<IReadOnlyList<StoredAnomaly>> RecordAsync(
        IAnomalyTransaction transaction, IEnumerable<Anomaly> anomalies, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        var stored = new List<StoredAnomaly>();
        foreach (var anomaly in anomalies)
        {
            if (await InsertAsync(transaction, anomaly, paging, now, cancellationToken) is { } added)
            {
                stored.Add(added);
            }
        }

        return stored;
    }

    /// <summary>
    /// Every reorg is screened (returned as network and depth, so each is counted once); one at or beyond
    /// <paramref name="minimumDepth"/> also becomes a deep-reorg anomaly, recorded as <see cref="RecordAsync"/> does.
    /// The provider marks the reorgs screened in the same transaction.
    /// </summary>
    public static async Task<(IReadOnlyList<StoredAnomaly> Anomalies, IReadOnlyList<(string Network, int Depth)> Reorgs)> ScreenReorgsAsync(
        IAnomalyTransaction transaction, IReadOnlyList<UnscreenedReorg> reorgs, int minimumDepth, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reorgs);
        var screened = reorgs.Select(r => (r.Network, r.Depth)).ToList();
        var anomalies = reorgs.Where(r => r.Depth >= minimumDepth).Select(r => SupplyAnomalyDetector.DeepReorg(
            r.Network, r.CommonAncestor + 1, r.Depth,
            $"{r.Depth} blocks above {r.CommonAncestor} were replaced (old tip {r.OldTip}, new {r.NewTip}); {r.EventsRemoved} provisional events were removed and re-indexed.",
            r.DetectedAt, refused: false));
        return (await RecordAsync(transaction, anomalies, paging, now, cancellationToken), screened);
    }

    /// <summary>
    /// A condition anomaly (ledger mismatch, refused deep reorg), one state machine over the open one of its rule and
    /// network:
    /// <list type="bullet">
    /// <item>none open: stored and paged at once (no cooldown, never history: the condition is true now), or
    /// <c>unpaged</c> without an Alertmanager; returned as new;</item>
    /// <item>open and <c>unpaged</c>: paged now if an Alertmanager is configured since (it is still true; old discrete
    /// anomalies are not paged late, they are history), its note saying so; else left alone;</item>
    /// <item>open and <c>queued</c>: paged again when its last page is older than <paramref name="refreshAfter"/> (or
    /// it has none) and an Alertmanager is configured to receive the refresh.</item>
    /// </list>
    /// </summary>
    public static async Task<StoredAnomaly?> RaiseConditionAsync(
        IAnomalyTransaction transaction, Anomaly anomaly, TimeSpan refreshAfter, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(anomaly);
        ArgumentNullException.ThrowIfNull(paging);
        switch (await transaction.FindOpenConditionAsync(anomaly.Rule, anomaly.Network, cancellationToken))
        {
            case null:
                return await InsertAsync(transaction, anomaly, new AnomalyPaging(TimeSpan.Zero, TimeSpan.MaxValue, paging.AlertmanagerConfigured), now, cancellationToken);
            case { PageState: "unpaged", Id: var unpaged }:
                if (paging.AlertmanagerConfigured)
                {
                    await transaction.MarkQueuedAsync(unpaged, $"{AnomalyPaging.NoAlertmanagerNote} when detected; paged {NoteTime(now)}, still open", cancellationToken);
                    await transaction.EnqueueAsync(unpaged, "fire", now, cancellationToken);
                }

                return null;
            case { Id: var paged }:
                // Paged earlier; refreshed only while someone can receive the refresh.
                if (paging.AlertmanagerConfigured
                    && (await transaction.LastFireAsync(paged, cancellationToken) is not { } last || now - last >= refreshAfter))
                {
                    await transaction.EnqueueAsync(paged, "fire", now, cancellationToken);
                }

                return null;
        }
    }

    /// <summary>
    /// Of the anomalies a resolve just closed, those whose resolution is pushed to Alertmanager, oldest first: only
    /// the paged (<c>queued</c>) ones — an unpaged, cooldown or history anomaly has nothing to resolve there — and
    /// none without an Alertmanager.
    /// </summary>
    public static IReadOnlyList<long> ResolutionsToPush(IEnumerable<(long Id, string PageState)> resolved, AnomalyPaging paging)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(paging);
        return paging.AlertmanagerConfigured ? resolved.Where(r => r.PageState == "queued").Select(r => r.Id).Order().ToList() : [];
    }

    private static async Task<StoredAnomaly?> InsertAsync(IAnomalyTransaction transaction, Anomaly anomaly, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dedupeKey = AnomalyPaging.DedupeKey(anomaly);
        var history = paging.IsHistory(anomaly, now);
        var pagedWithinCooldown = !history && await transaction.QueuedSinceAsync(dedupeKey, now - paging.Cooldown, cancellationToken);
        var (state, note) = paging.Decide(history, pagedWithinCooldown);
        if (await transaction.InsertAsync(anomaly, dedupeKey, state, note, now, cancellationToken) is not { } id)
        {
            return null;
        }

        if (state == "queued")
        {
            await transaction.EnqueueAsync(id, "fire", now, cancellationToken);
        }

        return new StoredAnomaly(id, anomaly, now, state, null, note);
    }

    // One text for a time inside a page note, so notes read alike whichever store holds them.
    private static string NoteTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
