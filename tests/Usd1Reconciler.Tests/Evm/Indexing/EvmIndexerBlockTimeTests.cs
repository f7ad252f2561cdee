using System.Numerics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>
/// Every EVM event gets its block time, including events in ranges wholly below the final target, whose headers the
/// indexer otherwise does not read: an event without a block time is in no redemption window (issue 17), so a backfill
/// or a catch-up would leave burns out of the 48 h window and hide a surge.
/// </summary>
public sealed class EvmIndexerBlockTimeTests
{
    private const int Confirmations = 10;
    private const string Alice = "0x00000000000000000000000000000000000a11ce";

    [Test]
    public async Task RunPassAsync_EventsBelowTheFinalTarget_EachCarriesItsBlockTimeAndIsInItsHour()
    {
        var directory = Directory.CreateTempSubdirectory("usd1rec-blocktime-").FullName;
        try
        {
            using var chain = new ScriptedEvmChain();
            using var http = new HttpClient(chain, disposeHandler: false);
            var store = SqliteSupplyStore.Open(Path.Combine(directory, "store.db"), TimeProvider.System);
            // 40 blocks: mints, and a burn in every fourth; a one-pass backfill puts blocks 1..29 below the final target.
            for (var i = 1; i <= 40; i++)
            {
                chain.Mine(i % 4 == 0 ? [ScriptedTransfer.Mint(Alice, 1_000 + i), ScriptedTransfer.Burn(Alice, 7)] : [ScriptedTransfer.Mint(Alice, 1_000 + i)]);
            }

            var settings = new EvmNetworkSettings(
                "scripted", ScriptedEvmChain.ChainId, [chain.Url], ScriptedEvmChain.Token, StartBlock: 1, Confirmations, MaxBlockRange: 2000, TimeSpan.FromSeconds(10));
            var result = await EvmIndexer.Create(settings, store, http, TimeProvider.System, NullLoggerFactory.Instance).RunPassAsync(CancellationToken.None);
            Assert.That(result.FinalBlock, Is.EqualTo(30), "blocks 1..30 are final in this pass");

            var networkId = (await store.GetSupplyAsync(CancellationToken.None)).Single(s => s.Name == "scripted").NetworkId;
            var events = await store.GetEventsAsync(networkId, CancellationToken.None);
            var untimed = await store.GetUntimedFinalEventsAsync(CancellationToken.None);
            var hours = await store.GetRedemptionHoursAsync(DateTimeOffset.FromUnixTimeSeconds(ScriptedEvmChain.GenesisTime), CancellationToken.None);
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
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
