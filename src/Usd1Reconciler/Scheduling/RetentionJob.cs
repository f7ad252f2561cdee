using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Composition;

namespace Usd1Reconciler.Scheduling;

/// <summary>Deletes feed rejections and (when configured) reports past their retention; the report chain keeps an anchor hash.</summary>
[DisallowConcurrentExecution]
internal sealed class RetentionJob(ReconcilerServices services, LoadedConfiguration config, TimeProvider time, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var options = config.Options.Reconciliation;
        var rejections = await services.ReconciliationStore.PruneRejectionsAsync(now - options.RetainRejections, cancellationToken);
        var reports = options.RetainReports is { } keep ? await services.ReconciliationStore.PruneReportsAsync(now - keep, cancellationToken) : 0;
        loggers.CreateLogger("usd1rec.retention").LogInformation("retention: deleted {Rejections} feed rejections and {Reports} reports", rejections, reports);
    }
}
