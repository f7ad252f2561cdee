using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Indexing;

/// <summary>
/// A refused deep reorg stops the network: it is stored as a condition and queued for paging (delivered by the
/// daemon's outbox, also when a verb outside the daemon found it), re-posted until it clears. Part of the one pass
/// policy (<see cref="IndexPassRunner"/>), so `index`, `reconcile --once` and the scheduled job raise it alike.
/// </summary>
internal sealed class RefusedReorgAlarm(IAnomalyStore anomalies, AnomalyPaging paging, TimeSpan refreshAfter, TimeProvider time, ILogger logger)
{
    /// <returns>The stored anomaly when this raised it anew (or re-posted it), null when it was already open and not due.</returns>
    public async Task<StoredAnomaly?> RaiseAsync(DeepReorganizationException refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var now = time.GetUtcNow();
        var anomaly = SupplyAnomalyDetector.DeepReorg(refused.Network, refused.ForkBlock, 0, refused.Message, now, refused: true);
        var stored = await anomalies.RaiseConditionAsync(anomaly, refreshAfter, paging, now, cancellationToken);
        if (stored is not null)
        {
            logger.LogCritical("anomaly {Rule} on {Network} at block {Block}: {Summary}", anomaly.Rule, anomaly.Network, anomaly.BlockNumber, stored.Anomaly.Summary);
        }

        return stored;
    }
}
