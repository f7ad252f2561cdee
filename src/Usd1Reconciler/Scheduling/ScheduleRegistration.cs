using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Reconciliation;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// The Quartz schedules of `usd1rec run`, all from configuration, all in UTC, all on the injected TimeProvider.
/// Misfire policy (a firing missed because the process was paused or busy):
/// <list type="bullet">
/// <item>Interval jobs (index, poll, store integrity): skip what was missed and keep the rhythm — a late pass does the same work.</item>
/// <item>Reconcile: skip missed minutes; the next firing judges the current state anyway.</item>
/// <item>End-of-day and retention: fire once as soon as possible — the day's report must exist even if late.</item>
/// </list>
/// Every job is [DisallowConcurrentExecution]: a slow pass delays the next instead of racing it.
/// <para>
/// On PostgreSQL (issue 14.3) the schedules live in Quartz's clustered ADO.NET store in the same database, so every
/// firing of the instance-wide jobs (feed polls, reconciliations, screening and paging, retention, integrity) runs on
/// exactly one instance and a firing interrupted by a dead instance is recovered by another. Nodes check in every
/// <see cref="ClusterCheckinInterval"/> and are written off after <see cref="ClusterCheckinMisfireThreshold"/> more.
/// Each interval trigger carries a misfire threshold of its own (<see cref="MisfireThresholdOf"/>): a tick held up by
/// a takeover is a misfire (skipped, the rhythm kept) instead of one of a burst fired back to back. The index passes
/// are not in the cluster: they run per network on the writer lease's holder (<see cref="NetworkIndexLoops"/>).
/// </para>
/// </summary>
internal static class ScheduleRegistration
{
    public const string NetworkKey = "network";
    public const string FeedKey = "feed";
    public const string KindKey = "kind";

    // How many in-memory schedulers this process has named (see AddSchedules).
    private static int s_inMemorySchedulers;

    /// <summary>Quartz cluster check-in interval on PostgreSQL.</summary>
    public static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long past a missed check-in a node counts as dead: 3 s, three missed check-ins, so a node slowed by a busy
    /// machine is not written off while it still runs its jobs (the jobs are idempotent anyway: reports are keyed by
    /// their firing, pages claimed).
    /// </summary>
    public static readonly TimeSpan ClusterCheckinMisfireThreshold = TimeSpan.FromSeconds(3);

    /// <summary>How often the clustered store's misfire handler runs (a misfired trigger waits for it).</summary>
    public static readonly TimeSpan ClusterMisfireHandlerFrequency = TimeSpan.FromSeconds(1);

    /// <summary>The store-wide misfire threshold of the clustered store (cron triggers: reconcile, end of day, retention).</summary>
    public static readonly TimeSpan ClusterMisfireThreshold = TimeSpan.FromSeconds(30);

    public static IHostApplicationBuilder AddSchedules(this IHostApplicationBuilder builder, LoadedConfiguration config, TimeProvider time)
    {
        var options = config.Options;
        var clustered = options.Storage.Provider == StorageProvider.Postgres;
        builder.Services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            if (!clustered)
            {
                // Quartz keeps its schedulers in one process-wide repository by name, and a host asking for a name
                // already there is handed that scheduler, whose jobs resolve from the other host's services. A
                // process runs one host, but a test process runs several: each in-memory scheduler gets a name of
                // its own (the first keeps "usd1rec").
                var host = Interlocked.Increment(ref s_inMemorySchedulers);
                q.ConfigureScheduler(s => s.InstanceName = host == 1 ? "usd1rec" : $"usd1rec-{host}");
            }
            else
            {
                q.ConfigureScheduler(s =>
                {
                    // One scheduler name for the whole cluster; the instance id tells the nodes apart.
                    s.InstanceName = "usd1rec";
                    s.InstanceId = options.Instance.ResolveId();
                });
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(options.Storage.ConnectionString!);
                    s.UseClustering(c =>
                    {
                        c.CheckinInterval = ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = ClusterCheckinMisfireThreshold;
                    });
                    // Quartz 4.7 carries its PostgreSQL schema: created if missing (safe from several nodes at once).
                    s.ProvisionSchema();
                    s.ConfigureStore(store =>
                    {
                        store.StoreJobDataAsStrings = true;
                        store.MisfireThreshold = ClusterMisfireThreshold;
                        // A misfired trigger is not acquired until the misfire handler has applied its instruction,
                        // and the handler runs every MisfireThreshold by default (30 s here): a trigger recovered from a
                        // dead node then waited ~30 s (measured). Run it every second.
                        store.MisfireHandlerFrequency = ClusterMisfireHandlerFrequency;
                        // After a failure the misfire handler (and a check-in past its window) backs off this long;
                        // Quartz's 15 s default kept a restarted database's missed firings unnoticed for 15 s.
                        store.DbRetryInterval = ClusterDbRetryInterval;
                    });
                });
            }

            foreach (var network in clustered ? [] : options.Networks)
            {
                var key = new JobKey($"index-{network.Name}", "index");
                q.AddJob<IndexNetworkJob>(j => j.WithIdentity(key).UsingJobData(NetworkKey, network.Name));
                q.AddTrigger(t => t
                    .ForJob(key)
                    .WithIdentity($"index-{network.Name}", "index")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(network.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            }

            foreach (var feed in options.Reserves.Feeds)
            {
                var key = new JobKey($"poll-{feed.Name}", "feeds");
                q.AddJob<PollFeedJob>(j => j.WithIdentity(key).UsingJobData(FeedKey, feed.Name));
                q.AddTrigger(t => t
                    .ForJob(key)
                    .WithIdentity($"poll-{feed.Name}", "feeds")
                    .StartNow()
                    .WithMisfireThreshold(MisfireThresholdOf(feed.PollInterval))
                    .WithSimpleSchedule(s => s.WithInterval(feed.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            }

            var reconcile = new JobKey("reconcile", "reconcile");
            // RequestRecovery: a reconciliation cut off by its instance's death runs again on another (its report is
            // keyed by the firing, so a run that did store it appends nothing).
            q.AddJob<ReconcileJob>(j => j.WithIdentity(reconcile).UsingJobData(KindKey, ReconciliationRunner.Scheduled).RequestRecovery(clustered));
            q.AddTrigger(t =>
            {
                t.ForJob(reconcile)
                    .WithIdentity(MissedReconciliationRecorder.ReconcileTrigger)
                    .UsingJobData(KindKey, ReconciliationRunner.Scheduled)
                    .WithCronSchedule(options.Reconciliation.Schedule, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing));
                if (clustered)
                {
                    // Like the interval triggers: a firing held up past two periods (a database outage, a takeover) is
                    // missed — skipped and recorded — rather than run late with the others back to back.
                    t.WithMisfireThreshold(MisfireThresholdOf(CronPeriod(options.Reconciliation.Schedule, time.GetUtcNow())));
                }
            });
            // Every reconcile firing the scheduler skips is recorded as a missed (Inconclusive) report.
            q.AddTriggerListener(provider => new MissedReconciliationRecorder(
                provider, time, provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()),
                [Matchers.Key(MissedReconciliationRecorder.ReconcileTrigger)]);
            q.AddTrigger(t => t
                .ForJob(reconcile)
                .WithIdentity("end-of-day", "reconcile")
                .UsingJobData(KindKey, ReconciliationRunner.EndOfDay)
                .WithCronSchedule(options.Reconciliation.EndOfDay, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));

            var screen = new JobKey("screen-and-alert", "alerting");
            q.AddJob<ScreenAndAlertJob>(j => j.WithIdentity(screen));
            q.AddTrigger(t => t
                .ForJob(screen)
                .WithIdentity("screen-and-alert", "alerting")
                .StartNow()
                .WithMisfireThreshold(MisfireThresholdOf(options.Alerting.Interval))
                .WithSimpleSchedule(s => s.WithInterval(options.Alerting.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));

            var retention = new JobKey("retention", "maintenance");
            q.AddJob<RetentionJob>(j => j.WithIdentity(retention));
            q.AddTrigger(t => t
                .ForJob(retention)
                .WithIdentity("retention", "maintenance")
                .WithCronSchedule(options.Reconciliation.RetentionSchedule, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));

            // The full store check: once at start (in the background; opening no longer does it), then every interval.
            var integrity = new JobKey("store-integrity", "maintenance");
            q.AddJob<StoreIntegrityJob>(j => j.WithIdentity(integrity));
            q.AddTrigger(t => t
                .ForJob(integrity)
                .WithIdentity("store-integrity", "maintenance")
                .StartNow()
                .WithMisfireThreshold(MisfireThresholdOf(options.Storage.IntegrityCheckInterval))
                .WithSimpleSchedule(s => s.WithInterval(options.Storage.IntegrityCheckInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        // The index loops before Quartz's hosted service: they are not in the cluster, and Quartz's clustered start
        // (schema check, every job and trigger stored again) must not hold back indexing (see DaemonHost).
        if (clustered)
        {
            builder.Services.AddHostedService<NetworkIndexLoops>();
        }

        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        return builder;
    }

    /// <summary>How long the clustered store backs off after a database failure (Quartz's default: 15 s).</summary>
    public static readonly TimeSpan ClusterDbRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>The time between the next two firings of a cron schedule after <paramref name="now"/> (the schedule's period, for a regular one).</summary>
    internal static TimeSpan CronPeriod(string cron, DateTimeOffset now)
    {
        var expression = new CronExpression(cron, TimeZoneInfo.Utc);
        var first = expression.GetNextValidTimeAfter(now);
        var second = first is { } f ? expression.GetNextValidTimeAfter(f) : null;
        return first is { } a && second is { } b ? b - a : TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// An interval trigger's own misfire threshold: two intervals, at least 2 s (whole milliseconds, as the store keeps
    /// them). One interval of lateness is tolerated (a busy machine: a threshold of exactly one interval let a 1 s
    /// trigger misfire at every firing here, under load), while a firing held up by a takeover — the check-in
    /// threshold plus an interval late — is a misfire, skipped, instead of one of a burst fired back to back.
    /// </summary>
    internal static TimeSpan MisfireThresholdOf(TimeSpan interval) =>
        TimeSpan.FromMilliseconds(Math.Max(2000, Math.Floor(2 * interval.TotalMilliseconds)));
}
