using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Reconciliation;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// Records the scheduled reconciliations the scheduler skipped (issue 14: "a missed reconciliation is recorded"). The
/// reconcile trigger's misfire instruction is DoNothing — a firing noticed past its misfire threshold does not run,
/// the next one judges the current state — so without this a database outage, a paused process or a slow takeover
/// left no trace of the firings it swallowed. Quartz calls <see cref="TriggerMisfired"/> once per misfire (on one
/// instance of a cluster: the misfire handler holds the store's lock); every firing of the trigger after its previous
/// one and up to now is then missed, and each gets an Inconclusive report keyed by its time
/// (<see cref="ReconciliationRunner.RecordMissedAsync"/>), so a recovered or repeated notification appends nothing.
/// The reports are written after the notification returns, one misfire at a time: Quartz calls it inside its store's
/// lock, and a report append (a few reads and a serialized write) held there blocked every trigger of the cluster —
/// measured under load, each append made the next firing late enough to misfire too. A failure to record is logged,
/// never thrown: the misfire handling of every other trigger must go on.
/// </summary>
internal sealed class MissedReconciliationRecorder(IServiceProvider provider, TimeProvider time, ILoggerFactory loggers) : ITriggerListener
{
    /// <summary>At most this many missed firings are recorded per misfire (a week-long outage of a per-minute schedule must not append 10,000 reports at once).</summary>
    internal const int MaxRecordedPerMisfire = 100;

    public static readonly TriggerKey ReconcileTrigger = new("reconcile", "reconcile");

    private readonly ILogger _logger = loggers.CreateLogger("usd1rec.schedule");
    private readonly Lock _gate = new();
    private Task _recording = Task.CompletedTask;

    public string Name => nameof(MissedReconciliationRecorder);

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken)
    {
        if (trigger.Key.Equals(ReconcileTrigger))
        {
            var now = time.GetUtcNow();
            var missed = MissedFirings(trigger, now);
            var key = trigger.Key;
            lock (_gate)
            {
                // One misfire after the other: each append reads the chain the previous one extended.
                _recording = _recording.ContinueWith(_ => RecordAsync(key, missed, now, CancellationToken.None), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }

        return ValueTask.CompletedTask;
    }

    private async Task RecordAsync(TriggerKey trigger, List<DateTimeOffset> missed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            // Resolved when first needed, like the jobs' services: the scheduler (and this listener) is built first.
            var services = provider.GetRequiredService<ReconcilerServices>();
            foreach (var firing in missed.Take(MaxRecordedPerMisfire))
            {
                await services.Runner.RecordMissedAsync(ReconciliationRunner.Scheduled, firing, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError("could not record the missed reconciliation firings of {Trigger}: {Reason}", trigger, ex.Message);
            return;
        }

        if (missed.Count > MaxRecordedPerMisfire)
        {
            _logger.LogWarning(
                "more than {Recorded} reconciliation firings missed up to {Now:O}; the first {Recorded} recorded, the rest only in this log",
                MaxRecordedPerMisfire, now, MaxRecordedPerMisfire);
        }
    }

    /// <summary>
    /// The firings of <paramref name="trigger"/> after its previous firing (or its next one, if it never fired) up to
    /// <paramref name="now"/> (one more than <see cref="MaxRecordedPerMisfire"/> at most), whole seconds as <see cref="ReconcileJob.FiringOf"/> keys them. Read from the previous
    /// fire time, not the next, because whether Quartz calls a listener before or after applying the misfire
    /// instruction changes the next time and not the previous one.
    /// </summary>
    internal static List<DateTimeOffset> MissedFirings(ITrigger trigger, DateTimeOffset now)
    {
        var missed = new List<DateTimeOffset>();
        var firing = trigger.PreviousFireTimeUtc is { } previous ? trigger.GetFireTimeAfter(previous) : trigger.NextFireTimeUtc;
        while (firing is { } t && t <= now && missed.Count <= MaxRecordedPerMisfire)
        {
            missed.Add(new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
            firing = trigger.GetFireTimeAfter(t);
        }

        return missed;
    }
}
