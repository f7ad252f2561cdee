using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>The registered <see cref="IAnomalyStore"/> of every provider, its errors as <see cref="StoreException"/>s.</summary>
internal sealed class TranslatingAnomalyStore(IAnomalyStore inner, StoreErrorTranslation translate) : IAnomalyStore
{
    public Task<IReadOnlyList<(long RowId, SupplyEvent Event)>> GetUnscreenedEventsAsync(string network, int limit, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading unscreened events", () => inner.GetUnscreenedEventsAsync(network, limit, cancellationToken));

    public Task<IReadOnlyList<SupplyEvent>> GetWindowHistoryAsync(string network, DateTimeOffset since, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading window history", () => inner.GetWindowHistoryAsync(network, since, cancellationToken));

    public Task<IReadOnlyList<StoredAnomaly>> RecordScreenAsync(IReadOnlyList<Anomaly> anomalies, IReadOnlyList<long> screenedRowIds, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a screen", () => inner.RecordScreenAsync(anomalies, screenedRowIds, paging, now, cancellationToken));

    public Task<(IReadOnlyList<StoredAnomaly> Anomalies, IReadOnlyList<(string Network, int Depth)> Reorgs)> ScreenReorgsAsync(int minimumDepth, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "screening reorgs", () => inner.ScreenReorgsAsync(minimumDepth, paging, now, cancellationToken));

    public Task<StoredAnomaly?> RaiseConditionAsync(Anomaly anomaly, TimeSpan refreshAfter, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "raising a condition", () => inner.RaiseConditionAsync(anomaly, refreshAfter, paging, now, cancellationToken));

    public Task<int> ResolveConditionAsync(AnomalyRule rule, string network, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "resolving a condition", () => inner.ResolveConditionAsync(rule, network, paging, now, cancellationToken));

    public Task<int> AbandonUndeliveredAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "abandoning undelivered alerts", () => inner.AbandonUndeliveredAsync(reason, now, cancellationToken));

    public Task<IReadOnlyList<PendingAlert>> GetDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading due alerts", () => inner.GetDueAlertsAsync(now, limit, cancellationToken));

    public Task<IReadOnlyList<PendingAlert>> ClaimDueAlertsAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "claiming due alerts", () => inner.ClaimDueAlertsAsync(now, limit, claimFor, cancellationToken));

    public Task MarkDeliveredAsync(IReadOnlyList<long> outboxIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "marking alerts delivered", () => inner.MarkDeliveredAsync(outboxIds, at, cancellationToken));

    public Task MarkFailedAsync(IReadOnlyList<long> outboxIds, string reason, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "marking alerts failed", () => inner.MarkFailedAsync(outboxIds, reason, nextAttempt, cancellationToken));

    public Task<long> CountPendingAlertsAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "counting pending alerts", () => inner.CountPendingAlertsAsync(cancellationToken));

    public Task<IReadOnlyList<StoredAnomaly>> GetRecentAnomaliesAsync(int limit, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading recent anomalies", () => inner.GetRecentAnomaliesAsync(limit, cancellationToken));

    public Task<IReadOnlyList<(string Rule, string Network, long Count)>> CountAnomaliesAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "counting anomalies", () => inner.CountAnomaliesAsync(cancellationToken));
}
