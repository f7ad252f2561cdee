using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Alerting;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// Screens what indexing stored since the last run and delivers queued pages. Runs on its own short interval rather
/// than inside the index jobs so that a slow Alertmanager never holds up indexing, and a failed delivery is simply
/// retried from the outbox on a later run.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ScreenAndAlertJob(AnomalyScreener screener, AlertDispatcher dispatcher, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("usd1rec.alerting");
        try
        {
            await screener.ScreenAsync(cancellationToken);
            await dispatcher.DispatchAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("anomaly screening or alert delivery failed, next try at the next firing: {Reason}", ex.Message);
        }
    }
}
