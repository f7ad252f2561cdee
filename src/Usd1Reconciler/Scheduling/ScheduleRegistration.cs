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
/// </summary>
internal static class ScheduleRegistration
{
    public const string NetworkKey = "network";
    public const string FeedKey = "feed";
    public const string KindKey = "kind";

    public static IHostApplicationBuilder AddSchedules(this IHostApplicationBuilder builder, LoadedConfiguration config, TimeProvider time)
    {
        var options = config.Options;
        builder.Services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            foreach (var network in options.Networks)
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
                    .WithSimpleSchedule(s => s.WithInterval(feed.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            }

            var reconcile = new JobKey("reconcile", "reconcile");
            q.AddJob<ReconcileJob>(j => j.WithIdentity(reconcile).UsingJobData(KindKey, ReconciliationRunner.Scheduled));
            q.AddTrigger(t => t
                .ForJob(reconcile)
                .WithIdentity("reconcile", "reconcile")
                .UsingJobData(KindKey, ReconciliationRunner.Scheduled)
                .WithCronSchedule(options.Reconciliation.Schedule, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
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
                .WithSimpleSchedule(s => s.WithInterval(options.Storage.IntegrityCheckInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
