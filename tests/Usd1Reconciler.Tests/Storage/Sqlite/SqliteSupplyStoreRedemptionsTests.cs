using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

/// <summary>Migration 0007 and the hourly aggregates of final events kept with them (issue 17).</summary>
public sealed class SqliteSupplyStoreRedemptionsTests
{
    private static readonly DateTimeOffset At = new(2026, 9, 8, 12, 0, 0, TimeSpan.Zero);
    private static readonly BigInteger Huge = BigInteger.Pow(2, 255);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-hours-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private static SupplyEvent Event(SupplyEventKind kind, long block, string tx, BigInteger amount, DateTimeOffset? time) =>
        new(kind, block, "0xhash" + block, tx, 0, SupplyEvent.TopLevel, "0xactor", "0xholder", new TokenAmount(amount), time);

    private async Task<(SqliteSupplyStore Store, long Id)> OpenAsync()
    {
        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        return (store, id);
    }

    [Test]
    public async Task CommitBatch_ProvisionalEvents_InNoHourUntilFinalThenExact()
    {
        var (store, id) = await OpenAsync();
        var events = new[]
        {
            Event(SupplyEventKind.Mint, 1, "0xa", Huge, At.AddMinutes(5)),
            Event(SupplyEventKind.Burn, 2, "0xb", Huge - 1, At.AddMinutes(50)),
            Event(SupplyEventKind.Burn, 3, "0xc", 7, At.AddMinutes(65)),
        };
        await store.CommitBatchAsync(new IndexedBatch(id, events, [], new ChainTip(3, "0xhash3"), At), CancellationToken.None);
        var beforeFinal = await store.GetRedemptionHoursAsync(At.AddDays(-1), CancellationToken.None);

        await store.FinalizeAsync(id, 2, At, CancellationToken.None);
        var afterFinal = await store.GetRedemptionHoursAsync(At.AddDays(-1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(beforeFinal, Is.Empty, "provisional events are in no window");
            Assert.That(afterFinal, Has.Count.EqualTo(1), "block 3 is not final yet");
            Assert.That(afterFinal[0].HourStart, Is.EqualTo(At));
            Assert.That(afterFinal[0].Minted, Is.EqualTo(Huge), "uint256 sums exactly");
            Assert.That(afterFinal[0].NetRedeemed, Is.EqualTo(BigInteger.MinusOne));
        });
    }

    [Test]
    public async Task CommitBatch_FinalThroughAndLaterFinalize_EachEventFoldedOnce()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(
            new IndexedBatch(id, [Event(SupplyEventKind.Burn, 1, "0xa", 10, At), Event(SupplyEventKind.Burn, 2, "0xb", 5, At.AddHours(1))], [], new ChainTip(2, "0xhash2"), At) { FinalThrough = 1 },
            CancellationToken.None);
        await store.FinalizeAsync(id, 2, At, CancellationToken.None);
        await store.FinalizeAsync(id, 2, At, CancellationToken.None);
        await store.CommitBatchAsync(new IndexedBatch(id, [Event(SupplyEventKind.Burn, 3, "0xc", 1, At.AddMinutes(30))], [], new ChainTip(3, "0xhash3"), At) { FinalThrough = 3 }, CancellationToken.None);

        var hours = await store.GetRedemptionHoursAsync(At.AddDays(-1), CancellationToken.None);

        Assert.That(hours.Select(h => (h.HourStart, h.Burned)), Is.EqualTo(new[] { (At, new BigInteger(11)), (At.AddHours(1), new BigInteger(5)) }),
            "the inserted-final event, the promoted one and a second hour each counted once; a repeated finalize adds nothing");
    }

    [Test]
    public async Task Finalize_EventWithoutBlockTime_CountedUntimedInNoHour()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Event(SupplyEventKind.Burn, 1, "0xa", 10, null)], [], new ChainTip(1, "0xhash1"), At) { FinalThrough = 1 }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.GetRedemptionHoursAsync(At.AddYears(-10), CancellationToken.None), Is.Empty);
            Assert.That((await store.GetUntimedFinalEventsAsync(CancellationToken.None))["eth"], Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Apply_StoreBeforeMigration7WithFinalEvents_BackfilledExactlyProvisionalLeftOut()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            connection.Execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            var assembly = typeof(SqliteMigrator).Assembly;
            foreach (var (version, name) in SqliteMigrator.KnownMigrations.Where(m => m.Version < 7))
            {
                using var stream = assembly.GetManifestResourceStream("Usd1Reconciler.Storage.Migrations." + name)!;
                using var reader = new StreamReader(stream);
                connection.Execute(reader.ReadToEnd());
                connection.Execute("INSERT INTO schema_migrations VALUES (@version, @name, '2026-09-01T00:00:00Z')", new { version, name });
            }

            connection.Execute(
                """
                INSERT INTO networks (id, name, kind, chain_id, asset, registered_at) VALUES (1, 'eth', 'evm', 1, '0xtoken', '2026-09-01T00:00:00Z');
                INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, holder, amount, block_time, is_final) VALUES
                  (1, '0xa', 0, -1, 'burn', 1, 'h1', 'x', @huge, '2026-09-08T12:10:00.0000000Z', 1),
                  (1, '0xb', 0, -1, 'burn', 2, 'h2', 'x', @huge, '2026-09-08T12:20:00.0000000Z', 1),
                  (1, '0xc', 0, -1, 'mint', 3, 'h3', 'x', '3', '2026-09-08T13:00:00.0000000Z', 1),
                  (1, '0xd', 0, -1, 'burn', 9, 'h9', 'x', '1000', '2026-09-08T13:10:00.0000000Z', 0);
                """,
                new { huge = Huge.ToString() });

            var applied = SqliteMigrator.Apply(connection, TimeProvider.System);
            Assert.That(applied, Is.EqualTo(SqliteMigrator.KnownMigrations.Select(m => m.Version).Where(v => v >= 7)), "7 and every later migration");
        }

        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var hours = await store.GetRedemptionHoursAsync(At.AddDays(-1), CancellationToken.None);

        Assert.That(hours.Select(h => (h.HourStart, h.Minted, h.Burned)), Is.EqualTo(new[] { (At, BigInteger.Zero, Huge * 2), (At.AddHours(1), new BigInteger(3), BigInteger.Zero) }),
            "two 2^255 burns sum past uint256 exactly; the provisional burn is not backfilled");
    }
}
