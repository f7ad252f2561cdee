using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Scheduling;

namespace Usd1Reconciler.Tests.Host.Scheduling;

/// <summary>
/// Two `run` hosts in one process (the integration suite runs daemons side by side) must each get a scheduler of
/// their own: Quartz hands a second host asking for a name already in its process-wide repository the first host's
/// scheduler, whose jobs then run against the first host's store.
/// </summary>
public sealed class ScheduleRegistrationTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-schedules-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task AddSchedules_TwoSqliteHostsInOneProcess_EachGetsItsOwnScheduler()
    {
        using var first = BuildHost("eth-a");
        using var second = BuildHost("eth-b");

        var a = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var b = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(b, Is.Not.SameAs(a), "each host has its own scheduler");
                Assert.That(b.SchedulerName, Is.Not.EqualTo(a.SchedulerName));
            });
            var firstRunsItsNetwork = await a.GetJobDetail(new JobKey("index-eth-a", "index")) is not null;
            var firstRunsTheOther = await a.GetJobDetail(new JobKey("index-eth-b", "index")) is not null;
            var secondRunsItsNetwork = await b.GetJobDetail(new JobKey("index-eth-b", "index")) is not null;
            Assert.Multiple(() =>
            {
                Assert.That(firstRunsItsNetwork, Is.True);
                Assert.That(firstRunsTheOther, Is.False, "the first host does not run the second's networks");
                Assert.That(secondRunsItsNetwork, Is.True);
            });
        }
        finally
        {
            await a.Shutdown(waitForJobsToComplete: false);
            await b.Shutdown(waitForJobsToComplete: false);
        }
    }

    private IHost BuildHost(string network)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory, network)).FullName;
        File.WriteAllText(Path.Combine(directory, "reserves.json"), "{}");
        var path = Path.Combine(directory, "usd1rec.json");
        File.WriteAllText(path, $$"""
            {
              "Storage": { "Path": "store.db" },
              "Networks": [ { "Name": "{{network}}", "Kind": "Evm", "ChainId": 1, "RpcUrls": ["http://127.0.0.1:8545"], "Token": "0x1111111111111111111111111111111111111111" } ],
              "Reserves": { "Feeds": [ { "Name": "custodian", "Kind": "File", "Path": "reserves.json" } ] }
            }
            """);
        var config = ConfigLoader.Load(path, ConfigurationUse.Run);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = directory });
        builder.AddSchedules(config, TimeProvider.System);
        return builder.Build();
    }
}
