using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Alerting;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// One index pass of one network. A failed pass is logged and retried at the next firing; meanwhile the network's
/// ledger proof ages, and reconciliation turns Inconclusive naming it — the failure is never silent. A reorg deeper
/// than finality stops this network's schedule: building on a final history that changed would be a silent rewrite.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class IndexNetworkJob(DaemonServices services, AnomalyScreener screener, SqliteSupplyStore store, TimeProvider time, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var network = context.MergedJobDataMap.GetString(ScheduleRegistration.NetworkKey)!;
        var logger = loggers.CreateLogger("usd1rec.index");
        try
        {
            var result = await services.Indexers[network].RunPassAsync(cancellationToken);
            await store.RecordPassSuccessAsync(network, cancellationToken);
            logger.LogDebug("network {Network}: indexed to {Tip}, final {Final}, {Events} new events, proof {Proof}", network, result.IndexedTip, result.FinalBlock, result.EventsAdded, result.Proof);
        }
        catch (DeepReorganizationException ex)
        {
            await store.RecordPassFailureAsync(network, time.GetUtcNow(), ex.Message, CancellationToken.None);
            logger.LogCritical("network {Network}: {Reason}; its indexing schedule is paused until an operator intervenes", network, ex.Message);
            await screener.ReportRefusedReorgAsync(ex, CancellationToken.None);
            await context.Scheduler.PauseJob(context.JobDetail.Key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("network {Network}: index pass failed, next try at the next firing: {Reason}", network, ex.Message);
            // The outage is recorded so that supply, metrics, the status page and reconciliation call the network
            // stale from the first failed pass, not only once its proof has aged past StaleAfter.
            await store.RecordPassFailureAsync(network, time.GetUtcNow(), ex.Message, CancellationToken.None);
        }
    }
}
