using System.Numerics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>
/// The fork walk (<c>EvmIndexer.Sync.cs</c>) against a <see cref="ScriptedEvmChain"/> in memory and a real SQLite file:
/// the same reorganisations the anvil tests (IntegrationTests/Evm/EvmReorgTests) make, at unit-test speed, with the
/// fork point and the final boundary placed exactly. After every pass the store must hold the canonical chain's supply
/// events, each once: a reorg that loses a replaced block's event, or keeps an abandoned one, fails here.
/// </summary>
public sealed class EvmIndexerSyncTests
{
    private const int Confirmations = 10;
    private const string Alice = "0x00000000000000000000000000000000000a11ce";
    private const string Bob = "0x0000000000000000000000000000000000000b0b";

    private string _directory = null!;
    private ScriptedEvmChain _chain = null!;
    private HttpClient _http = null!;
    private SqliteSupplyStore _store = null!;
    private long _finalBefore = -1;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-reorg-").FullName;
        _chain = new ScriptedEvmChain();
        _http = new HttpClient(_chain, disposeHandler: false);
        _store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System);
        _finalBefore = -1;
    }

    [TearDown]
    public void TearDown()
    {
        _http.Dispose();
        _chain.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task RunPassAsync_ReorgOfDepthOne_StoreEqualsCanonicalChain()
    {
        _chain.MineMints(30, Alice, 1_000);
        await AssertPassFollowsChainAsync(expectedReorgs: 0, "before the reorg");
        var replacedTip = _chain.HashAt(_chain.Head);

        _chain.Abandon(1).Mine(ScriptedTransfer.Mint(Bob, 7_000), ScriptedTransfer.Burn(Alice, 5));
        Assert.That(_chain.HashAt(_chain.Head), Is.Not.EqualTo(replacedTip), "the scripted fork must replace the tip");

        await AssertPassFollowsChainAsync(expectedReorgs: 1, "after a depth-1 reorg");
        Assert.That((await SupplyAsync()).Reorgs, Is.EqualTo(1), "the reorg is recorded once");
    }

    // Depth k with the fork point above the final boundary (head − Confirmations): the walk goes back k stored headers
    // to the common ancestor. k = Confirmations puts the ancestor on the final block itself, the deepest reorg that is
    // still followed. The replacement is shorter, as long, or longer than what it replaces.
    [TestCase(2, 2)]
    [TestCase(5, 1)]
    [TestCase(5, 8)]
    [TestCase(Confirmations - 1, Confirmations - 1)]
    [TestCase(Confirmations, Confirmations + 3)]
    public async Task RunPassAsync_ReorgOfDepthKAboveFinalBoundary_StoreEqualsCanonicalChain(int depth, int replacementBlocks)
    {
        _chain.MineMints(40, Alice, 1_000);
        var first = await AssertPassFollowsChainAsync(expectedReorgs: 0, "before the reorg");
        Assert.That(first.FinalBlock, Is.EqualTo(_chain.Head - Confirmations), "the final boundary the fork must stay above");

        _chain.Abandon(depth);
        for (var i = 0; i < replacementBlocks; i++)
        {
            // Other holders and amounts, a burn now and then, and empty blocks: nothing of the abandoned blocks survives.
            _chain.Mine(i % 3 == 2 ? [] : [ScriptedTransfer.Mint(Bob, 50_000 + i), .. i % 2 == 0 ? new[] { ScriptedTransfer.Burn(Alice, 3) } : []]);
        }

        await AssertPassFollowsChainAsync(expectedReorgs: 1, $"after a depth-{depth} reorg replaced by {replacementBlocks} blocks");

        // The chain grows on the fork until the reorganised blocks are final: they are finalised as the fork has them.
        _chain.MineMints(Confirmations + 2, Bob, 10);
        var later = await AssertPassFollowsChainAsync(expectedReorgs: 0, "after the fork became final");
        Assert.That(later.Proof, Is.EqualTo(LedgerProofStatus.Ok), "Σ final events must equal totalSupply() at the final block on the fork");
        Assert.That((await SupplyAsync()).Reorgs, Is.EqualTo(1), "the reorg is recorded once");
    }

    [Test]
    public async Task RunPassAsync_ReorgsInSuccessivePasses_StoreEqualsCanonicalChainAfterEach()
    {
        _chain.MineMints(25, Alice, 100);
        await AssertPassFollowsChainAsync(expectedReorgs: 0, "before the reorgs");

        for (var round = 1; round <= 6; round++)
        {
            _chain.Abandon(round).MineMints(round + 1, Bob, 1_000 * round);
            await AssertPassFollowsChainAsync(expectedReorgs: 1, $"after reorg {round} (depth {round})");
            _chain.MineMints(2, Alice, 7);
            await AssertPassFollowsChainAsync(expectedReorgs: 0, $"after growth following reorg {round}");
        }

        Assert.That((await SupplyAsync()).Reorgs, Is.EqualTo(6), "every reorg is recorded, once");
    }

    // A fork below the final block: final events cannot be rolled back, so the pass fails loudly as a deep reorg and
    // the store is left exactly as it was — final figures of the old chain, no event of the fork.
    [TestCase(Confirmations + 1)]
    [TestCase(Confirmations + 6)]
    public async Task RunPassAsync_ReorgDeeperThanConfirmations_FailsAsDeepReorganizationAndKeepsTheStore(int depth)
    {
        _chain.MineMints(40, Alice, 1_000);
        var before = await AssertPassFollowsChainAsync(expectedReorgs: 0, "before the reorg");
        var storedBefore = await StoredKeysAsync();
        var supplyBefore = await SupplyAsync();

        _chain.Abandon(depth).MineMints(depth + 2, Bob, 9_000);

        var error = Assert.ThrowsAsync<DeepReorganizationException>(() => NewIndexer().RunPassAsync(CancellationToken.None));
        var storedAfter = await StoredKeysAsync();
        var supplyAfter = await SupplyAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Network, Is.EqualTo("scripted"));
            Assert.That(error.FinalBlock, Is.EqualTo(before.FinalBlock), "the exception names the final block the fork contradicts");
            Assert.That(storedAfter, Is.EqualTo(storedBefore), "a refused deep reorg must not touch the stored events");
            Assert.That(supplyAfter.IndexedSupply, Is.EqualTo(supplyBefore.IndexedSupply), "the final supply stays the old chain's");
            Assert.That(supplyAfter.FinalBlock, Is.EqualTo(supplyBefore.FinalBlock));
            Assert.That(supplyAfter.Reorgs, Is.EqualTo(0), "a refused fork is not recorded as a followed reorg");
        });
    }

    // Every event gets its block time, also in ranges wholly below the final target, whose headers are otherwise not
    // read: an event without one is in no redemption window (issue 17), so a backfill or a catch-up would leave burns
    // out of the 48 h window and hide a surge.
    [Test]
    public async Task RunPassAsync_EventsBelowTheFinalTarget_EachCarriesItsBlockTimeAndIsInItsHour()
    {
        // 40 blocks: mints, and a burn in every fourth; a one-pass backfill puts blocks 1..29 below the final target.
        for (var i = 1; i <= 40; i++)
        {
            _chain.Mine(i % 4 == 0 ? [ScriptedTransfer.Mint(Alice, 1_000 + i), ScriptedTransfer.Burn(Alice, 7)] : [ScriptedTransfer.Mint(Alice, 1_000 + i)]);
        }

        var result = await NewIndexer().RunPassAsync(CancellationToken.None);
        Assert.That(result.FinalBlock, Is.EqualTo(30), "blocks 1..30 are final in this pass");

        var events = await _store.GetEventsAsync((await SupplyAsync()).NetworkId, CancellationToken.None);
        var untimed = await _store.GetUntimedFinalEventsAsync(CancellationToken.None);
        var hours = await _store.GetRedemptionHoursAsync(DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime), CancellationToken.None);
        var finalMinted = events.Where(e => e.IsFinal && e.Event.Kind == SupplyEventKind.Mint).Aggregate(BigInteger.Zero, (s, e) => s + e.Event.Amount.Value);
        var finalBurned = events.Where(e => e.IsFinal && e.Event.Kind == SupplyEventKind.Burn).Aggregate(BigInteger.Zero, (s, e) => s + e.Event.Amount.Value);
        Assert.Multiple(() =>
        {
            Assert.That(
                events.Where(e => e.Event.BlockTime != DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime + (e.Event.BlockNumber * 12))).Select(e => e.Event.BlockNumber),
                Is.Empty, "every event carries its own block's timestamp");
            Assert.That(untimed.GetValueOrDefault("scripted"), Is.Zero, "no final event is left out of the hours");
            Assert.That(hours.Aggregate(BigInteger.Zero, (s, h) => s + h.Minted), Is.EqualTo(finalMinted), "the hours hold every final mint");
            Assert.That(hours.Aggregate(BigInteger.Zero, (s, h) => s + h.Burned), Is.EqualTo(finalBurned), "the hours hold every final burn");
        });
    }

    [Test]
    public async Task RunPassAsync_FinalBlocksOlderThanTheBlockTimeHorizon_ReadNoHeaderYoungerOnesCarryTheirTime()
    {
        for (var i = 1; i <= 40; i++)
        {
            _chain.Mine(ScriptedTransfer.Mint(Alice, 1_000 + i));
        }

        // The horizon ends between blocks 20 and 21: blocks 1..20 are older than any window, 21..30 are final and young.
        var horizon = TimeSpan.FromDays(91);
        var now = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime + (20 * 12) + 6) + horizon);
        var settings = new EvmNetworkSettings(
            "scripted", ScriptedEvmChain.ChainId, [_chain.Url], ScriptedEvmChain.Token, StartBlock: 1, Confirmations, MaxBlockRange: 2000, TimeSpan.FromSeconds(10),
            BlockTimeHorizon: horizon);
        var result = await EvmIndexer.Create(settings, _store, _http, now, NullLoggerFactory.Instance, _store).RunPassAsync(CancellationToken.None);
        Assert.That(result.FinalBlock, Is.EqualTo(30));

        var events = await _store.GetEventsAsync((await SupplyAsync()).NetworkId, CancellationToken.None);
        var untimed = await _store.GetUntimedFinalEventsAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(events.Where(e => e.Event.BlockTime is null).Select(e => e.Event.BlockNumber), Is.EqualTo(Enumerable.Range(1, 20)), "blocks older than the horizon read no header");
            Assert.That(
                events.Where(e => e.Event.BlockNumber > 20 && e.Event.BlockTime != DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime + (e.Event.BlockNumber * 12))).Select(e => e.Event.BlockNumber),
                Is.Empty, "younger blocks carry their own timestamps");
            Assert.That(untimed.GetValueOrDefault("scripted"), Is.EqualTo(20), "the old final events are counted as untimed, in no window");
            Assert.That(events, Has.Count.EqualTo(40), "every event is stored whatever its time");
        });
    }

    [Test]
    public async Task RunPassAsync_CommitInProgress_LaterRangesAreStillFetched()
    {
        // 8-block ranges over 200 blocks: 25 ranges. While the first range's commit is held, the window keeps asking
        // for the ranges after it (a request budget is not left idle behind a slow commit), and once the commit is let
        // go the store ends exactly as a sequential walk would leave it.
        _chain.MineMints(200, Alice, 1_000);
        var gated = new CommitGatedStore(_store);
        var settings = new EvmNetworkSettings(
            "scripted", ScriptedEvmChain.ChainId, [_chain.Url], ScriptedEvmChain.Token, StartBlock: 1, Confirmations, MaxBlockRange: 8, TimeSpan.FromSeconds(10));
        var pass = EvmIndexer.Create(settings, gated, _http, TimeProvider.System, NullLoggerFactory.Instance, _store).RunPassAsync(CancellationToken.None);

        await gated.FirstCommitHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (LogCalls() < 10 && TimeProvider.System.GetUtcNow() < deadline && !pass.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
        }

        var askedWhileHeld = LogCalls();
        gated.Release();
        var result = await pass;

        Assert.Multiple(() =>
        {
            Assert.That(askedWhileHeld, Is.GreaterThanOrEqualTo(10), "ranges after the one committing are fetched while its commit runs, beyond the 3 in flight");
            Assert.That((result.IndexedTip, result.EventsAdded), Is.EqualTo((_chain.Head, 200)));
        });
        Assert.That(await StoredKeysAsync(), Is.EqualTo(_chain.EventKeys()), "every event once, as a sequential walk stores them");
        int LogCalls()
        {
            lock (_chain.Calls)
            {
                return _chain.Calls.Count(c => c == "eth_getLogs");
            }
        }
    }

    [Test]
    public async Task RunPassAsync_LogsCarryTheirBlockTimestamp_FinalEventsTimedWithoutHeaderReads()
    {
        _chain.SendsBlockTimestamp = true;
        for (var i = 1; i <= 40; i++)
        {
            _chain.Mine(ScriptedTransfer.Mint(Alice, 1_000 + i));
        }

        var result = await NewIndexer().RunPassAsync(CancellationToken.None);
        Assert.That(result.FinalBlock, Is.EqualTo(30));

        var events = await _store.GetEventsAsync((await SupplyAsync()).NetworkId, CancellationToken.None);
        var headerReads = _chain.Calls.Count(c => c == "eth_getBlockByNumber");
        Assert.Multiple(() =>
        {
            Assert.That(
                events.Where(e => e.Event.BlockTime != DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime + (e.Event.BlockNumber * 12))).Select(e => e.Event.BlockNumber),
                Is.Empty, "every event carries its block's time, taken from its log");
            // The unfinal blocks 30..40 and the tags/probes of the pass are read; none of the 29 final blocks below
            // the final target that hold logs is (without blockTimestamp each is, see the test above).
            Assert.That(headerReads, Is.LessThanOrEqualTo(Confirmations + 4), $"header reads: {headerReads}");
        });
    }

    [Test]
    public async Task RunPassAsync_LogTimeDisagreesWithItsBlockHeader_PassFailsAndStoresNothing()
    {
        _chain.SendsBlockTimestamp = true;
        _chain.SkewsBlockTimestampOf = 35;
        for (var i = 1; i <= 40; i++)
        {
            _chain.Mine(ScriptedTransfer.Mint(Alice, 1_000 + i));
        }

        var ex = Assert.ThrowsAsync<Usd1Reconciler.JsonRpc.RpcProtocolException>(() => NewIndexer().RunPassAsync(CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("block 35 has time"), "an unfinal block's header is read: its log must agree with it");
    }

    /// <summary>Runs one pass with a fresh indexer and asserts the store holds exactly the canonical chain's events.</summary>
    private async Task<IndexPassResult> AssertPassFollowsChainAsync(int expectedReorgs, string because)
    {
        var result = await NewIndexer().RunPassAsync(CancellationToken.None);
        var finalBefore = _finalBefore;
        _finalBefore = result.FinalBlock;
        var supply = await SupplyAsync();
        var stored = await StoredKeysAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.ReorgsHandled, Is.EqualTo(expectedReorgs), $"reorgs followed in the pass {because}");
            Assert.That(result.IndexedTip, Is.EqualTo(_chain.Head), $"the pass must reach the head {because}");
            // Final blocks stay final: a fork to a shorter chain does not move the boundary back.
            Assert.That(result.FinalBlock, Is.EqualTo(Math.Max(finalBefore, _chain.Head - Confirmations)), $"final boundary {because}");
            Assert.That(stored, Is.EqualTo(_chain.EventKeys()), $"the store must hold the canonical chain's events, each once, {because}");
            Assert.That(supply.ProvisionalSupply, Is.EqualTo(_chain.TotalSupplyAt(_chain.Head)), $"supply to the head must equal totalSupply() {because}");
            Assert.That(supply.IndexedSupply, Is.EqualTo(_chain.TotalSupplyAt(result.FinalBlock)), $"final supply must equal totalSupply() at the final block {because}");
        });
        return result;
    }

    private EvmIndexer NewIndexer()
    {
        var settings = new EvmNetworkSettings(
            "scripted", ScriptedEvmChain.ChainId, [_chain.Url], ScriptedEvmChain.Token, StartBlock: 1, Confirmations, MaxBlockRange: 2000, TimeSpan.FromSeconds(10));
        return EvmIndexer.Create(settings, _store, _http, TimeProvider.System, NullLoggerFactory.Instance, _store);
    }

    private async Task<NetworkSupply> SupplyAsync() =>
        (await _store.GetSupplyAsync(CancellationToken.None)).Single(s => s.Name == "scripted");

    private async Task<IReadOnlyList<string>> StoredKeysAsync()
    {
        var supply = await SupplyAsync();
        var events = await _store.GetEventsAsync(supply.NetworkId, CancellationToken.None);
        return events
            .Select(e => ScriptedEvmChain.Key(e.Event.TransactionId, e.Event.Position, e.Event.Kind, e.Event.Holder, e.Event.Amount.ToString(), e.Event.BlockNumber, e.Event.BlockHash))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
