using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Metrics;

public sealed class StoreMetricsRefresherTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-metrics-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task MintFinalAsync(SqliteSupplyStore store, long id, long amount)
    {
        var mint = new SupplyEvent(SupplyEventKind.Mint, 1, "0xh1", "0xtx" + id, 0, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(amount), At);
        await store.CommitBatchAsync(new IndexedBatch(id, [mint], [new BlockHeader(1, "0xh1", "0xh0", At)], new ChainTip(1, "0xh1"), At), CancellationToken.None);
        await store.FinalizeAsync(id, 1, At, CancellationToken.None);
    }

    private async Task<(SqliteSupplyStore Store, StoreMetricsRefresher Refresher, ReconcilerMetrics Metrics)> CreateAsync()
    {
        var time = new FakeTimeProvider(At);
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), time);
        var eth = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        var base1 = await store.RegisterNetworkAsync(new NetworkRegistration("base", NetworkKind.Evm, 8453, "0xtoken"), CancellationToken.None);
        await MintFinalAsync(store, eth, 2_500_000);
        await MintFinalAsync(store, base1, 1_000_000);
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        var staleAfter = new Dictionary<string, TimeSpan> { ["eth"] = TimeSpan.FromMinutes(5), ["base"] = TimeSpan.FromMinutes(5) };
        return (store, new StoreMetricsRefresher(store, new SqliteAnomalyStore(store), metrics, staleAfter, time), metrics);
    }

    [Test]
    public async Task Refresh_StoredDecimals_SupplyInTokensWithoutAnyChainRead()
    {
        var (store, refresher, metrics) = await CreateAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);
        await store.RecordTokenIdentityAsync("base", new TokenIdentity(6, "USD1"), At, CancellationToken.None);

        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.That(text, Does.Contain("usd1_supply_tokens{network=\"eth\",kind=\"indexed\"} 2.5"), "stored decimals: every RPC endpoint may be down, the figure is in tokens");
        Assert.That(text, Does.Contain("usd1_total_supply_tokens{kind=\"indexed\"} 3.5"));
        Assert.That(text, Does.Contain("usd1_token_decimals{network=\"eth\"} 6"));
    }

    [Test]
    public async Task Refresh_OneNetworksDecimalsNeverRead_NoTokenFigureForItAndNoTotal()
    {
        var (store, refresher, metrics) = await CreateAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);

        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("usd1_supply_tokens{network=\"base\""), "no decimals, no figure in tokens — and never base units in their place");
            Assert.That(text, Does.Not.Contain("usd1_total_supply_tokens{"), "a total without one network would be wrong");
            Assert.That(text, Does.Contain("usd1_token_decimals{network=\"base\"} -1"), "the series that says why base has no supply figure");
            Assert.That(text, Does.Contain("usd1_supply_tokens{network=\"eth\",kind=\"indexed\"} 2.5"));
        });
    }

    [Test]
    public async Task Refresh_IdentityMismatchRecorded_MismatchGaugeOne()
    {
        var (store, refresher, metrics) = await CreateAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);
        await store.RecordTokenIdentityMismatchAsync("eth", "decimals 6 -> 18", CancellationToken.None);

        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.That(text, Does.Contain("usd1_token_identity_mismatch{network=\"eth\"} 1"));
        Assert.That(text, Does.Contain("usd1_supply_tokens{network=\"eth\",kind=\"indexed\"} 2.5"), "figures keep the stored decimals");
    }
}
