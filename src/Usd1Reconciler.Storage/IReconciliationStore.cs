using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage;

/// <summary>Reserve snapshots, feed rejections and the hash-chained reports in one store (issue 14.1: the host's view, any provider).</summary>
public interface IReconciliationStore : IReserveStore, IReportStore
{
    /// <summary>Every report, oldest first, the anchor hash and how many reports retention pruned behind it.</summary>
    Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash, long PrunedCount)> GetChainForAuditAsync(CancellationToken cancellationToken);

    /// <summary>The newest report's hash and the chain's length, for metrics.</summary>
    Task<ReportChainHead> GetChainHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reports evaluated at or after <paramref name="since"/>, oldest first, point-in-time reports left out (they speak
    /// of a past as-of time), each reduced to its verdict, circulating supply and coverage: the status page's charts.
    /// An Inconclusive report carries no figure (invariant 9), whatever an old format stored.
    /// </summary>
    Task<IReadOnlyList<ReportHistoryPoint>> GetReportHistoryAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
