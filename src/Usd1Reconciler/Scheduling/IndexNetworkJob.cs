using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Metrics;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// One index pass of one network, by the shared pass policy (<see cref="Indexing.IndexPassRunner"/>: failure recorded and
/// logged once per change of state, retried at the next firing; meanwhile reconciliation turns Inconclusive naming
/// the network). A reorg deeper than finality pages and pauses this network's schedule: building on a final history
/// that changed would be a silent rewrite.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class IndexNetworkJob(ReconcilerServices services, ReconcilerMetrics metrics, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var network = context.MergedJobDataMap.GetString(ScheduleRegistration.NetworkKey)!;
        var outcome = await services.Passes.RunAsync(services.Indexers[network], cancellationToken);
        if (outcome.Result is { } result)
        {
            loggers.CreateLogger("usd1rec.index").LogDebug(
                "network {Network}: indexed to {Tip}, final {Final}, {Events} new events, proof {Proof}", network, result.IndexedTip, result.FinalBlock, result.EventsAdded, result.Proof);
        }
        else if (outcome.StopNetwork && outcome.Failure is DeepReorganizationException refused)
        {
            // The pass policy stored and queued the condition; the daemon's counters are the job's part.
            metrics.DeepReorgs.WithLabels(refused.Network).Inc();
            if (outcome.RaisedAnomaly is { } raised)
            {
                metrics.Anomalies.WithLabels(raised.Anomaly.Rule.ToString(), raised.Anomaly.Network).Inc();
            }

            await context.Scheduler.PauseJob(context.JobDetail.Key, CancellationToken.None);
        }
    }
}
