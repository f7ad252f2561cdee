using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.Scheduling;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Hosting;

/// <summary>
/// The order in which `run` starts its hosted services (one after another): the HTTP endpoints and, on PostgreSQL, the
/// per-network index loops before Quartz, whose clustered start (schema check, every job and trigger stored again)
/// took 11-14 s of a restarted standby's 29 s on a busy machine. Built only; nothing is started or contacted.
/// </summary>
public sealed class DaemonHostTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-startorder-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Build_Postgres_EndpointsAndIndexLoopsStartBeforeQuartz()
    {
        var order = await HostedServicesAsync("""
            "Storage": { "Provider": "Postgres", "ConnectionString": "Host=127.0.0.1;Port=9;Username=usd1rec;Password=unused;Database=usd1rec", "Path": "spool.db" },
            "Instance": { "Id": "a" },
            """);

        Assert.That(order, Does.Contain(nameof(NetworkIndexLoops)).And.Contain("QuartzHostedService").And.Contain(nameof(ObservabilityServer)));
        Assert.Multiple(() =>
        {
            Assert.That(order.IndexOf(nameof(ObservabilityServer)), Is.LessThan(order.IndexOf("QuartzHostedService")), string.Join(", ", order));
            Assert.That(order.IndexOf(nameof(NetworkIndexLoops)), Is.LessThan(order.IndexOf("QuartzHostedService")), string.Join(", ", order));
        });
    }

    [Test]
    public async Task Build_Sqlite_EndpointsStartBeforeQuartz()
    {
        var order = await HostedServicesAsync("""
            "Storage": { "Path": "store.db" },
            """);

        Assert.That(order, Does.Contain("QuartzHostedService").And.Contain(nameof(ObservabilityServer)).And.Not.Contain(nameof(NetworkIndexLoops)));
        Assert.That(order.IndexOf(nameof(ObservabilityServer)), Is.LessThan(order.IndexOf("QuartzHostedService")), string.Join(", ", order));
    }

    /// <summary>The hosted services' type names in the order the host starts them.</summary>
    private async Task<List<string>> HostedServicesAsync(string storageSectionsJson)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "bank.json"), "{}");
        var config = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              {{storageSectionsJson}}
              "Http": { "Listen": "127.0.0.1:0" },
              "Networks": [ { "Name": "eth", "Kind": "Evm", "ChainId": 1, "RpcUrls": ["http://127.0.0.1:9/"], "Token": "0x00000000000000000000000000000000000000aa" } ],
              "Reserves": { "Feeds": [ { "Name": "bank", "Kind": "File", "Path": "bank.json" } ] }
            }
            """);
        var loaded = ConfigLoader.Load(config, ConfigurationUse.Run);
        var time = new FakeTimeProvider(Start);
        // The host only registers the store it is given; an empty SQLite store stands in for the opened one.
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "stand-in.db"), time);
        using var host = DaemonHost.Build(loaded, store, time);
        return host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
    }
}
