using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>The registered <see cref="IReconciliationStore"/> of every provider, its errors as <see cref="StoreException"/>s.</summary>
internal sealed class TranslatingReconciliationStore(IReconciliationStore inner, StoreErrorTranslation translate) : IReconciliationStore
{
    public Task<ReserveSnapshot?> GetLatestSnapshotAsync(string feed, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a reserve snapshot", () => inner.GetLatestSnapshotAsync(feed, cancellationToken));

    public Task<ReserveSnapshot?> GetSnapshotAtAsync(string feed, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a reserve snapshot", () => inner.GetSnapshotAtAsync(feed, asOf, cancellationToken));

    public Task<long> RecordSnapshotAsync(ReserveSnapshot snapshot, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a reserve snapshot", () => inner.RecordSnapshotAsync(snapshot, cancellationToken));

    public Task RecordRejectionAsync(FeedRejection rejection, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a feed rejection", () => inner.RecordRejectionAsync(rejection, cancellationToken));

    public Task<IReadOnlyList<FeedRejection>> GetRejectionsAsync(string feed, int limit, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading feed rejections", () => inner.GetRejectionsAsync(feed, limit, cancellationToken));

    public Task<StoredReport> AppendReportAsync(string kind, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "appending a report", () => inner.AppendReportAsync(kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical, cancellationToken));

    public Task<(StoredReport Report, bool Appended)> AppendScheduledReportAsync(
        string kind, DateTimeOffset scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "appending a scheduled report", () => inner.AppendScheduledReportAsync(kind, scheduledFor, createdAt, evaluatedAt, verdict, shortfallUsd, canonical, cancellationToken));

    public Task<StoredReport?> GetScheduledReportAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a scheduled report", () => inner.GetScheduledReportAsync(kind, scheduledFor, cancellationToken));

    public Task<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a report", () => inner.GetReportAsync(id, cancellationToken));

    public Task<IReadOnlyList<StoredReport>> ListReportsAsync(int limit, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "listing reports", () => inner.ListReportsAsync(limit, cancellationToken));

    public Task<StoredReport?> GetLatestConclusiveReportAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the latest conclusive report", () => inner.GetLatestConclusiveReportAsync(cancellationToken));

    public Task<DateTimeOffset?> GetInconclusiveSinceAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the inconclusive run", () => inner.GetInconclusiveSinceAsync(cancellationToken));

    public Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash)> GetChainAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the report chain", () => inner.GetChainAsync(cancellationToken));

    public Task<int> PruneReportsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "pruning reports", () => inner.PruneReportsAsync(before, cancellationToken));

    public Task<int> PruneRejectionsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "pruning feed rejections", () => inner.PruneRejectionsAsync(before, cancellationToken));

    public Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash, long PrunedCount)> GetChainForAuditAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the report chain", () => inner.GetChainForAuditAsync(cancellationToken));

    public Task<IReadOnlyList<ReportHistoryPoint>> GetReportHistoryAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the report history", () => inner.GetReportHistoryAsync(since, cancellationToken));

    public Task<ReportChainHead> GetChainHeadAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the report chain head", () => inner.GetChainHeadAsync(cancellationToken));
}
