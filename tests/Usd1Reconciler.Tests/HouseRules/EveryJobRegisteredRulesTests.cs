using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Scheduling;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issue 13.4): every Quartz <see cref="IJob"/> in usd1rec is registered with the daemon's scheduler.
/// A job class nobody schedules looks like protection (an integrity check, a retention run) that never happens. The
/// test builds the schedules exactly as `run` does (<see cref="ScheduleRegistration.AddSchedules"/>) from a
/// configuration with a network and a feed, and reads back the job types the scheduler holds; nothing is started.
/// </summary>
public sealed class EveryJobRegisteredRulesTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-jobs-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Schedules_EveryJobTypeInUsd1rec_IsScheduled()
    {
        var jobTypes = typeof(ScheduleRegistration).Assembly.GetTypes()
            .Where(t => typeof(IJob).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        Assert.That(jobTypes, Is.Not.Empty, "the rule must see the job classes it guards");

        var scheduled = await ScheduledJobTypesAsync();

        var missing = jobTypes.Where(t => !scheduled.Contains(t)).Select(t => $"  {t.FullName} ({SourceFileOf(t)})").ToList();
        Assert.That(missing, Is.Empty, "house rule 'every IJob is registered': add each to ScheduleRegistration.AddSchedules (src/Usd1Reconciler/Scheduling/ScheduleRegistration.cs):\n" + string.Join("\n", missing));
    }

    private async Task<HashSet<Type>> ScheduledJobTypesAsync()
    {
        File.WriteAllText(Path.Combine(_directory, "reserves.json"), "{}");
        var path = Path.Combine(_directory, "usd1rec.json");
        File.WriteAllText(path, """
            {
              "Storage": { "Path": "store.db" },
              "Networks": [ { "Name": "eth", "Kind": "Evm", "ChainId": 1, "RpcUrls": ["http://127.0.0.1:8545"], "Token": "0x1111111111111111111111111111111111111111" } ],
              "Reserves": { "Feeds": [ { "Name": "custodian", "Kind": "File", "Path": "reserves.json" } ] }
            }
            """);
        var config = ConfigLoader.Load(path, ConfigurationUse.Run);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _directory });
        builder.AddSchedules(config, TimeProvider.System);
        using var host = builder.Build();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var types = new HashSet<Type>();
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup()))
        {
            types.Add((await scheduler.GetJobDetail(key))!.JobType.Type);
        }

        await scheduler.Shutdown(waitForJobsToComplete: false);
        return types;
    }

    private static string SourceFileOf(Type type) =>
        SourceTree.CSharpFiles("src/Usd1Reconciler")
            .Where(f => File.ReadAllText(f).Contains($"class {type.Name}", StringComparison.Ordinal))
            .Select(SourceTree.Relative)
            .FirstOrDefault() ?? "source not found";
}
