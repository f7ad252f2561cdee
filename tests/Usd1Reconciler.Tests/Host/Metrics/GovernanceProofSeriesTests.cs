using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Metrics;

/// <summary>
/// The governance proof series before and after the first proof: "not proven yet" is a value of its own from the
/// daemon's start (the product rule: right or visibly marked stale, never "no data").
/// </summary>
public sealed class GovernanceProofSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-govmetrics-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task MarkUnproven_AtStart_UnprovenOneOtherStatusesZeroTimestampTheStart()
    {
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());

        GovernanceProofSeries.MarkUnproven(metrics, ["eth"], Start);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"unproven\"} 1"));
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"ok\"} 0"), "never proven is not ok");
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"stale\"} 0"));
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"mismatch\"} 0"));
            Assert.That(text, Does.Contain("usd1_governance_proof_last_timestamp_seconds{network=\"eth\"} 1796119200"), "the start: its age is how long the network has gone unproven");
        });
    }

    [Test]
    public async Task Record_AfterStart_TheProofsStatusOneUnprovenZeroTimestampItsCheck()
    {
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        GovernanceProofSeries.MarkUnproven(metrics, ["eth"], Start);

        GovernanceProofSeries.Record(metrics, new GovernanceProofReading("eth", 12, GovernanceProofStatus.Mismatch, [], "hash", Start.AddSeconds(90)));

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"unproven\"} 0"));
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"mismatch\"} 1"));
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"ok\"} 0"));
            Assert.That(text, Does.Contain("usd1_governance_proof_last_timestamp_seconds{network=\"eth\"} 1796119290"));
        });
    }

    [Test]
    public async Task DaemonHost_StoreKeepsGovernanceNoProofYet_EveryNetworkExportedUnprovenFromStart()
    {
        // The host as `run` builds it, on a SQLite store (which keeps governance) with no proof stored: resolving the
        // HTTP server (what starting the host does first) exports both networks as unproven — no chain is contacted.
        var config = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(config, """
            {
              "Storage": { "Path": "store.db" },
              "Http": { "Listen": "127.0.0.1:0" },
              "Networks": [
                { "Name": "eth", "Kind": "Evm", "ChainId": 1, "RpcUrls": ["http://127.0.0.1:9/"], "Token": "0x00000000000000000000000000000000000000aa" },
                { "Name": "sol", "Kind": "Solana", "RpcUrls": ["http://127.0.0.1:9/"], "Mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v" }
              ],
              "Reserves": { "Feeds": [ { "Name": "bank", "Kind": "File", "Path": "bank.json" } ] }
            }
            """);
        var loaded = ConfigLoader.Load(config);
        var time = new FakeTimeProvider(Start);
        var store = SqliteSupplyStore.Open(loaded.StoragePath, time);
        using var host = DaemonHost.Build(loaded, store, time);

        _ = host.Services.GetRequiredService<ObservabilityServer>();

        var text = await host.Services.GetRequiredService<ReconcilerMetrics>().ExportAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"eth\",status=\"unproven\"} 1"));
            Assert.That(text, Does.Contain("usd1_governance_proof_status{network=\"sol\",status=\"unproven\"} 1"));
            Assert.That(text, Does.Contain("usd1_governance_proof_last_timestamp_seconds{network=\"sol\"} 1796119200"));
        });
    }
}
