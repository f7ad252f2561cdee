using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Scheduling;

namespace Usd1Reconciler.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 14.3 measured on a real PostgreSQL 15: two Quartz nodes clustered on one database with the settings `run`
/// uses there (<see cref="ScheduleRegistration"/>: check-in interval, check-in misfire threshold, schema provisioned
/// by Quartz, a trigger's own misfire threshold of its interval). Node a holds a [DisallowConcurrentExecution] job
/// on a 2 s trigger when it loses the database (a TCP proxy partitions it: to the cluster that is a crash); node b
/// must take the trigger over, and must not fire the ticks missed meanwhile back to back. Both figures are printed.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class QuartzClusterTakeoverTests
{
    // The interval of the screen-and-alert job, the shortest clustered trigger `run` has by default.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private PostgresServer _server = null!;
    private int _databases;

    // One cluster for both cases, a database each: the cases share nothing else.
    [OneTimeSetUp]
    public async Task StartServer() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase(true, TestName = "Takeover_NodeHoldingABlockedTriggerPartitioned_OtherNodeTakesOverWithoutABurst")]
    [TestCase(false, TestName = "Takeover_StoreDefaultMisfireThreshold_MissedTicksFireBackToBack")]
    public async Task Takeover(bool ownMisfireThreshold)
    {
        var connectionString = await _server.CreateDatabaseAsync($"quartz_{Interlocked.Increment(ref _databases)}");
        await using var proxy = TcpProxy.Start(_server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(connectionString) { Port = proxy.Port, Timeout = 2, CommandTimeout = 2 }.ConnectionString;
        var runs = new ConcurrentQueue<TickRun>();

        await using var nodeA = Node("a", viaProxy, runs, ownMisfireThreshold);
        var a = await StartAsync(nodeA);
        Assert.That(await WaitUntilAsync(() => runs.Any(r => r.Node == "a"), TimeSpan.FromSeconds(60)), Is.True, "node a runs the tick first");
        await using var nodeB = Node("b", connectionString, runs, ownMisfireThreshold);
        var b = await StartAsync(nodeB);
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        Assert.That(runs.Any(r => r.Node == "b"), Is.False, "while a holds the job (it never ends on a), b cannot run it");

        var clock = Stopwatch.StartNew();
        proxy.Partition();
        Assert.That(await WaitUntilAsync(() => runs.Any(r => r.Node == "b"), TimeSpan.FromSeconds(60)), Is.True, "b takes the trigger over");
        var takeover = clock.Elapsed;
        // b's first second after the takeover is what is judged: wait until it is over (plus a margin for a run
        // that started in it and is still being enqueued), no longer.
        var first = runs.Where(r => r.Node == "b").Min(r => r.Started);
        await WaitUntilAsync(() => TickJob.Now - first > TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
        var onB = runs.Where(r => r.Node == "b").OrderBy(r => r.Started).ToList();
        var burst = onB.Count(r => r.Started - first < TimeSpan.FromSeconds(1));
        TestContext.Out.WriteLine(
            $"quartz cluster ({(ownMisfireThreshold ? "trigger misfire threshold = two intervals" : "store default misfire threshold")}; check-in {ScheduleRegistration.ClusterCheckinInterval.TotalSeconds:F0} s, " +
            $"written off after {ScheduleRegistration.ClusterCheckinMisfireThreshold.TotalSeconds:F0} s): takeover {takeover.TotalSeconds:F2} s after the partition; {burst} run(s) of the 2 s tick within b's first second");

        Assert.Multiple(() =>
        {
            Assert.That(takeover, Is.LessThan(TimeSpan.FromSeconds(15)), "a dead node is written off after a few check-ins");
            if (ownMisfireThreshold)
            {
                Assert.That(burst, Is.EqualTo(1), "ticks missed during the takeover are misfires, skipped, not fired back to back");
            }
            else
            {
                Assert.That(burst, Is.GreaterThan(1), "without a threshold of its own every tick under 30 s late fires at once");
            }
        });

        await b.Shutdown(false, CancellationToken.None);
        proxy.Heal();
        using var stopA = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await a.Shutdown(false, stopA.Token);
    }

    private static ServiceProvider Node(string id, string connectionString, ConcurrentQueue<TickRun> runs, bool ownMisfireThreshold)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(runs);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "usd1rec";
                s.InstanceId = id;
            });
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = ScheduleRegistration.ClusterCheckinInterval;
                    c.CheckinMisfireThreshold = ScheduleRegistration.ClusterCheckinMisfireThreshold;
                });
                s.ProvisionSchema();
                s.ConfigureStore(store =>
                {
                    store.StoreJobDataAsStrings = true;
                    store.MisfireThreshold = ScheduleRegistration.ClusterMisfireThreshold;
                    store.MisfireHandlerFrequency = ScheduleRegistration.ClusterMisfireHandlerFrequency;
                });
            });
            var key = new JobKey("tick", "test");
            q.AddJob<TickJob>(j => j.WithIdentity(key));
            q.AddTrigger(t =>
            {
                t.ForJob(key).WithIdentity("tick", "test").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
                if (ownMisfireThreshold)
                {
                    t.WithMisfireThreshold(ScheduleRegistration.MisfireThresholdOf(Interval));
                }
            });
        });
        return services.BuildServiceProvider();
    }

    private static async Task<IScheduler> StartAsync(ServiceProvider node)
    {
        var scheduler = await node.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        await scheduler.Start(CancellationToken.None);
        return scheduler;
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        return false;
    }

    private sealed record TickRun(string Node, TimeSpan Started);

    /// <summary>On node a the tick never ends (the job stays a's until a is written off); on b it is quick.</summary>
    [DisallowConcurrentExecution]
    private sealed class TickJob(ConcurrentQueue<TickRun> runs) : IJob
    {
        private static readonly Stopwatch Since = Stopwatch.StartNew();

        /// <summary>The clock <see cref="TickRun.Started"/> is read from.</summary>
        public static TimeSpan Now => Since.Elapsed;

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var node = context.Scheduler.SchedulerInstanceId;
            runs.Enqueue(new TickRun(node, Since.Elapsed));
            if (node == "a")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            }
        }
    }
}
