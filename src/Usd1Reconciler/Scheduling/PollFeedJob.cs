using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Composition;

namespace Usd1Reconciler.Scheduling;

/// <summary>One poll of one reserve feed. Rejections are stored by the poller; fetch failures age the feed towards stale.</summary>
[DisallowConcurrentExecution]
internal sealed class PollFeedJob(ReconcilerServices services, ILoggerFactory loggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feed = context.MergedJobDataMap.GetString(ScheduleRegistration.FeedKey)!;
        try
        {
            await services.Feeds[feed].PollAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger("usd1rec.feed").LogError("feed {Feed}: poll failed: {Reason}", feed, ex.Message);
        }
    }
}
