using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// The full integrity check of the store, every <c>Storage:IntegrityCheckInterval</c> (opening a store checks only
/// its header, length and schema, so this is where damage deeper in the file is found). See
/// <see cref="StoreIntegrityMonitor"/>.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class StoreIntegrityJob(IStoreMaintenance store, LoadedConfiguration config, ReconcilerMetrics metrics, TimeProvider time, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var monitor = new StoreIntegrityMonitor(store, config.StoreName, metrics, time, loggers.CreateLogger("usd1rec.store"));
        await monitor.CheckAsync(cancellationToken);
    }
}
