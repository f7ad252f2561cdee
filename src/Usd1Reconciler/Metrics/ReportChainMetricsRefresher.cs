using System.Globalization;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Exports the report chain's length and head hash from the store at every scrape, so Prometheus is a witness outside
/// the store: a deleted newest report shows as a shorter length, a rewritten head as a second hash at one length. Read
/// from the store (not counted in memory), a restart exports exactly what it exported before.
/// </summary>
internal sealed class ReportChainMetricsRefresher(IReconciliationStore store, ReconcilerMetrics metrics)
{
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var head = await store.GetChainHeadAsync(cancellationToken);
        metrics.ReportChainLength.Set(head.Length);
        var current = head.HeadHash is { } hash ? new[] { hash, head.Length.ToString(CultureInfo.InvariantCulture) } : null;
        // One head series at a time: the previous head's series goes away (Prometheus marks it stale), so the head info
        // never shows two heads at once and a rule can count the heads seen at one length over a window.
        foreach (var labels in metrics.ReportChainHeadInfo.GetAllLabelValues().ToList())
        {
            if (current is null || !labels.SequenceEqual(current))
            {
                metrics.ReportChainHeadInfo.RemoveLabelled(labels);
            }
        }

        if (current is not null)
        {
            metrics.ReportChainHeadInfo.WithLabels(current).Set(1);
        }
    }
}
