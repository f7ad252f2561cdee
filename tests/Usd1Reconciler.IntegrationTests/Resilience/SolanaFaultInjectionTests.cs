using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Solana.Rpc;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>
/// The Solana indexer behind the fault proxy, in front of the real devnet: a failing primary endpoint is routed
/// around, a node of another cluster is never trusted, and an outage of the only endpoint is caught up without a gap.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SolanaFaultInjectionTests
{
    private const int SlotsToFinalize = 33;

    private static SolanaIndexer Indexer(IReadOnlyList<Uri> endpoints, string mint, SqliteSupplyStore store, HttpClient http, string? genesisHash = null) =>
        SolanaIndexer.Create(
            new SolanaNetworkSettings("solana-faults", mint, SolanaCommitment.Confirmed, endpoints, TimeSpan.FromSeconds(2)) { Resilience = EvmFaultSetup.FastResilience, GenesisHash = genesisHash },
            store, http, TimeProvider.System, NullLoggerFactory.Instance, store);

    [TestCase(FaultKind.ServerError)]
    [TestCase(FaultKind.MalformedJson)]
    [TestCase(FaultKind.TruncatedBody)]
    [TestCase(FaultKind.ConnectionReset)]
    [TestCase(FaultKind.TooManyRequests)]
    [TestCase(FaultKind.Latency)]
    public async Task RunPass_PrimaryEndpointFaulty_SecondaryServesAndLedgerHolds(FaultKind fault)
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(4_000_000);
        await driver.BurnAsync(1_500_000, isChecked: true);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        await using var proxy = await FaultProxy.StartAsync(devnet.Url);
        proxy.Always(fault);
        using var directory = new TempDirectory("solana-faults");
        using var http = new HttpClient();
        var store = SqliteSupplyStore.Open(directory.File("s.db"), TimeProvider.System);
        var indexer = Indexer([proxy.Url, devnet.Url], driver.Mint, store, http);

        var result = await indexer.RunPassAsync(CancellationToken.None);

        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok), $"the secondary must carry the pass while the primary answers with {fault}");
        Assert.That(result.EventsAdded, Is.EqualTo(2));
        Assert.That(proxy.Fired(fault), Is.GreaterThan(0), "the fault was really injected");
        var primary = indexer.GetEndpointHealth()[0];
        Assert.That(primary.State, Is.Not.EqualTo(EndpointState.Healthy), $"the faulty primary is marked, not trusted blindly ({primary.LastError})");
        Assert.That(primary.LastError, Does.Not.Contain("SECRET"), "provider keys in URL paths never reach errors");
        SqliteConnectionPools.Clear();
    }

    /// <summary>With the cluster's genesis hash configured (as operators should), the endpoint order does not matter.</summary>
    [Test]
    public async Task RunPass_PrimaryReportsAnotherClustersGenesis_UntrustedAndNeverUsedForData()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(1_000_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        await using var proxy = await FaultProxy.StartAsync(devnet.Url);
        proxy.Always(FaultKind.WrongGenesis);
        using var directory = new TempDirectory("solana-faults");
        using var http = new HttpClient();
        var store = SqliteSupplyStore.Open(directory.File("s.db"), TimeProvider.System);
        var genesis = (await devnet.Rpc.CallAsync("getGenesisHash", [], CancellationToken.None)).GetString();
        var indexer = Indexer([proxy.Url, devnet.Url], driver.Mint, store, http, genesis);

        var result = await indexer.RunPassAsync(CancellationToken.None);

        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        Assert.That(indexer.GetEndpointHealth()[1].State, Is.EqualTo(EndpointState.Healthy), "the endpoint on the configured cluster carries the pass");
        var primary = indexer.GetEndpointHealth()[0];
        Assert.That(primary.State, Is.EqualTo(EndpointState.Untrusted));
        Assert.That(primary.UntrustedReason, Does.Contain("genesis"));
        SqliteConnectionPools.Clear();
    }

    [Test]
    public async Task RunPass_OnlyEndpointDownThenBack_FailsLoudlyThenCatchesUpWithoutGap()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(1_000_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        await using var proxy = await FaultProxy.StartAsync(devnet.Url);
        using var directory = new TempDirectory("solana-faults");
        using var http = new HttpClient();
        var store = SqliteSupplyStore.Open(directory.File("s.db"), TimeProvider.System);
        Assert.That((await Indexer([proxy.Url], driver.Mint, store, http).RunPassAsync(CancellationToken.None)).EventsAdded, Is.EqualTo(1));

        proxy.Always(FaultKind.ServerError);
        await driver.MintAsync(2_000_000);
        await driver.BurnAsync(500_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        var outage = Assert.ThrowsAsync<RpcUnavailableException>(() => Indexer([proxy.Url], driver.Mint, store, http).RunPassAsync(CancellationToken.None));
        Assert.That(outage!.Message, Does.Contain("solana-faults").And.Contain("503"));

        proxy.Always(FaultKind.None);
        var result = await Indexer([proxy.Url], driver.Mint, store, http).RunPassAsync(CancellationToken.None);

        Assert.That(result.EventsAdded, Is.EqualTo(2), "both events sent during the outage are indexed once it is over");
        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        Assert.That((supply.FinalMints, supply.FinalBurns, supply.IndexedSupply), Is.EqualTo((2L, 1L, new System.Numerics.BigInteger(2_500_000))));
        SqliteConnectionPools.Clear();
    }

    /// <summary>
    /// A node whose signature paging is broken (listing oldest first, or a signature twice) is refused with the reason,
    /// and nothing it listed is stored; once it answers properly the same store catches up exactly.
    /// </summary>
    [TestCase("reversed", "came after slot")]
    [TestCase("repeated", "came back twice")]
    public async Task RunPass_SignaturePagingBroken_RefusedThenCaughtUp(string breakage, string reason)
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(1_000_000);
        await devnet.AdvanceSlotsAsync(2);
        await driver.MintAsync(2_000_000);
        await devnet.AdvanceSlotsAsync(2);
        await driver.BurnAsync(500_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        await using var proxy = await FaultProxy.StartAsync(devnet.Url);
        proxy.HostileMethods = new HashSet<string> { "getSignaturesForAddress" };
        proxy.HostileFactory = (_, real) =>
        {
            var entries = real!.AsArray().Select(e => e!.DeepClone()).ToList();
            if (breakage == "reversed")
            {
                entries.Reverse();
            }
            else
            {
                entries.Add(entries[0]!.DeepClone());
            }

            return new System.Text.Json.Nodes.JsonArray([.. entries]).ToJsonString();
        };
        proxy.Always(FaultKind.HostileResult);
        using var directory = new TempDirectory("solana-faults");
        using var http = new HttpClient();
        var store = SqliteSupplyStore.Open(directory.File("s.db"), TimeProvider.System);

        var refused = Assert.ThrowsAsync<RpcProtocolException>(() => Indexer([proxy.Url], driver.Mint, store, http).RunPassAsync(CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain(reason).And.Contain("paging is broken").And.Contain("getSignaturesForAddress"));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(System.Numerics.BigInteger.Zero), "nothing from the broken listing is stored");

        proxy.Always(FaultKind.None);
        var result = await Indexer([proxy.Url], driver.Mint, store, http).RunPassAsync(CancellationToken.None);
        Assert.That((result.EventsAdded, result.Proof), Is.EqualTo((3, LedgerProofStatus.Ok)));
        SqliteConnectionPools.Clear();
    }
}

/// <summary>Releases pooled SQLite handles so a test's temp folder can be deleted.</summary>
internal static class SqliteConnectionPools
{
    public static void Clear() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
