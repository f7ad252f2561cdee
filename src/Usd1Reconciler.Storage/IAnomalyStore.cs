using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage;

/// <summary>
/// Anomalies and the Alertmanager outbox (issue 14.1: the host's view, any provider). Recording a screen is one
/// transaction: the anomalies, the events marked screened and the outbox entries of the pages to send.
/// </summary>
public interface IAnomalyStore
{
    /// <summary>Unscreened events of a network, oldest first, with their row ids for <see cref="RecordScreenAsync"/>.</summary>
    Task<IReadOnlyList<(long RowId, SupplyEvent Event)>> GetUnscreenedEventsAsync(string network, int limit, CancellationToken cancellationToken);

    /// <summary>Events of a network with a block time at or after <paramref name="since"/>: the window rules' history.</summary>
    Task<IReadOnlyList<SupplyEvent>> GetWindowHistoryAsync(string network, DateTimeOffset since, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredAnomaly>> RecordScreenAsync(IReadOnlyList<Anomaly> anomalies, IReadOnlyList<long> screenedRowIds, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken);

    Task<(IReadOnlyList<StoredAnomaly> Anomalies, IReadOnlyList<(string Network, int Depth)> Reorgs)> ScreenReorgsAsync(int minimumDepth, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Opens a condition (or re-posts an open one after <paramref name="refreshAfter"/>); the stored anomaly when newly opened.</summary>
    Task<StoredAnomaly?> RaiseConditionAsync(Anomaly anomaly, TimeSpan refreshAfter, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Resolves the open conditions of a rule on a network; returns how many.</summary>
    Task<int> ResolveConditionAsync(AnomalyRule rule, string network, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> AbandonUndeliveredAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<PendingAlert>> GetDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The due entries this caller is to deliver (issue 14.5: each page delivered once across instances). On a shared
    /// store they are claimed for <paramref name="claimFor"/>: no other instance gets them until they are marked
    /// delivered or failed, or the claim runs out (the claimer died). A single-writer store (SQLite) has no one to
    /// claim against and returns <see cref="GetDueAlertsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<PendingAlert>> ClaimDueAlertsAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(IReadOnlyList<long> outboxIds, DateTimeOffset at, CancellationToken cancellationToken);

    Task MarkFailedAsync(IReadOnlyList<long> outboxIds, string reason, DateTimeOffset nextAttempt, CancellationToken cancellationToken);

    Task<long> CountPendingAlertsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredAnomaly>> GetRecentAnomaliesAsync(int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<(string Rule, string Network, long Count)>> CountAnomaliesAsync(CancellationToken cancellationToken);
}
