using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage.Leasing;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// The index passes of `run` on a shared (PostgreSQL) store, one loop per network, on this instance only. They are
/// not Quartz jobs there: a clustered trigger fires on whichever node acquires it, but a network's passes must run
/// on the instance holding its writer lease (issue 14.4), so each instance loops over its own networks and runs a
/// pass only while it holds the lease — a standby waits, and takes over within a lease length when the writer dies.
/// The pass policy is the one every verb uses (<see cref="Indexing.IndexPassRunner"/>); the rhythm is the network's
/// <c>PollInterval</c> between passes, so a takeover never fires a burst of missed passes. A refused deep reorg
/// stops the network's loop, as it pauses the Quartz job on SQLite.
/// </summary>
internal sealed class NetworkIndexLoops(
    LoadedConfiguration config, ReconcilerServices services, INetworkWriterLeases leases, ReconcilerMetrics metrics, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    /// <summary>How often a standby looks whether it holds the lease now (the lease keeper takes it; this only notices).</summary>
    private static readonly TimeSpan StandbyPoll = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(config.Options.Networks.Select(n => LoopAsync(n.Name, n.PollInterval, stoppingToken)));

    private async Task LoopAsync(string network, TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("usd1rec.index");
        var indexer = services.Indexers[network];
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!leases.IsHeld(network))
                {
                    await Task.Delay(StandbyPoll, time, stoppingToken);
                    continue;
                }

                var outcome = await services.Passes.RunAsync(indexer, stoppingToken);
                if (outcome.StopNetwork && outcome.Failure is DeepReorganizationException refused)
                {
                    metrics.DeepReorgs.WithLabels(refused.Network).Inc();
                    if (outcome.RaisedAnomaly is { } raised)
                    {
                        metrics.Anomalies.WithLabels(raised.Anomaly.Rule.ToString(), raised.Anomaly.Network).Inc();
                    }

                    return;
                }

                if (outcome.Result is { } result)
                {
                    logger.LogDebug(
                        "network {Network}: indexed to {Tip}, final {Final}, {Events} new events, proof {Proof}", network, result.IndexedTip, result.FinalBlock, result.EventsAdded, result.Proof);
                }

                await Task.Delay(pollInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: the current pass was cancelled, nothing recorded.
        }
    }
}
