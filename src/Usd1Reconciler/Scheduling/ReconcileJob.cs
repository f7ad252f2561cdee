using System.Globalization;
using Quartz;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Reconciliation;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// One reconciliation; the trigger says which kind (scheduled or end_of_day). A failure here (the store) is thrown to
/// Quartz, which logs it; no report is written rather than a report without its inputs. Each run is keyed by the
/// fire time its trigger was scheduled for (<see cref="FiringOf"/>), so a firing run twice — recovered after its
/// instance died, or late after a misfire or a takeover — stores one report (issue 14.5).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ReconcileJob(ReconcilerServices services) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var kind = context.MergedJobDataMap.GetString(ScheduleRegistration.KindKey) ?? ReconciliationRunner.Scheduled;
        await services.Runner.RunScheduledAsync(kind, FiringOf(context), cancellationToken);
    }

    /// <summary>
    /// The firing a run belongs to: the trigger's scheduled fire time; for a recovery run (Quartz re-running the job of
    /// an instance that died during it) the original trigger's scheduled fire time, which Quartz passes in the job
    /// data (the recovery trigger's own times are when the recovery happened). A trigger without a scheduled time
    /// (fired by hand) is keyed by its fire time. The key is whole seconds: Quartz writes the original time into the
    /// job data as text to the second, and cron firings are on whole seconds anyway.
    /// </summary>
    internal static DateTimeOffset FiringOf(IJobExecutionContext context) => ToWholeSecond(Firing(context));

    private static DateTimeOffset ToWholeSecond(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Firing(IJobExecutionContext context)
    {
        if (context.Recovering
            && context.MergedJobDataMap.GetString(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime) is { Length: > 0 } original
            && DateTimeOffset.TryParse(original, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var scheduled))
        {
            return scheduled.ToUniversalTime();
        }

        return (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime();
    }
}
