using Quartz;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Reconciliation;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// One reconciliation; the trigger says which kind (scheduled or end_of_day). A failure here (the store) is thrown to
/// Quartz, which logs it; no report is written rather than a report without its inputs.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ReconcileJob(ReconcilerServices services) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var kind = context.MergedJobDataMap.GetString(ScheduleRegistration.KindKey) ?? ReconciliationRunner.Scheduled;
        await services.Runner.RunAsync(kind, cancellationToken);
    }
}
