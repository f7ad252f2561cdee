using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

/// <summary>Migration 0010 (issue 18): supply_events keyed by block first, converted in place with its data.</summary>
public sealed class SqliteMigratorTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-key-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    // A hash-like transaction id per event, as on a public chain: the case the old key scattered.
    private static string TxHash(int i) => "0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))));

    [Test]
    public async Task Apply_StoreAt0009WithEvents_EveryRowKeptSupplyUnchangedAndDbCheckSound()
    {
        var expected = CreateStoreAt0009();
        var before = Rows();

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            connection.Execute("PRAGMA foreign_keys = ON");
            Assert.That(SqliteMigrator.Apply(connection, TimeProvider.System), Is.EqualTo(new[] { 10 }), "only migration 10 is pending");
        }

        var check = SqliteMaintenance.Check(DbPath);
        Assert.Multiple(() =>
        {
            Assert.That(check.Problems, Is.Empty, "db check: integrity_check finds nothing");
            Assert.That(check.IsSound, Is.True);
            Assert.That(Rows(), Is.EqualTo(before), "every row, with its rowid, flags and values, survives the rebuild");
            Assert.That(Indexes(), Is.EqualTo(new[] { "ix_supply_events_provisional", "ix_supply_events_unscreened", "ux_supply_events_key" }),
                "the tx-led primary key (an automatic index) and the block index are gone");
        });

        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var supplies = (await store.GetSupplyAsync(CancellationToken.None)).ToDictionary(s => s.Name);
        Assert.Multiple(() =>
        {
            foreach (var (name, (final, provisional)) in expected)
            {
                Assert.That(supplies[name].IndexedSupply, Is.EqualTo(final), $"{name}: final supply");
                Assert.That(supplies[name].ProvisionalSupply, Is.EqualTo(final + provisional), $"{name}: with the provisional tail");
            }
        });

        // Reads in chain order still come in chain order, and the screen still starts at the first unscreened event.
        var eth = supplies["eth"].NetworkId;
        var events = await store.GetEventsAsync(eth, CancellationToken.None);
        Assert.That(events.Select(e => (e.Event.BlockNumber * 10) + e.Event.Position), Is.Ordered, "block, then log index (positions here are below 10)");
        var unscreened = await new SqliteAnomalyStore(store).GetUnscreenedEventsAsync("eth", 5, CancellationToken.None);
        Assert.That(unscreened.Select(u => (u.Event.BlockNumber, u.Event.Position)), Is.EqualTo(new[] { (51L, 0), (51L, 1), (51L, 2), (52L, 0), (52L, 1) }));

        // The migrated store keeps the exactly-once guarantee for an event it already held...
        var again = events.First(e => !e.IsFinal).Event;
        Assert.ThrowsAsync<SqliteException>(() => store.CommitBatchAsync(new IndexedBatch(eth, [again], [], new ChainTip(101, "0xhash101"), At), CancellationToken.None));
        // ...and folds the provisional events once when they become final.
        await store.FinalizeAsync(eth, 100, At, CancellationToken.None);
        await store.FinalizeAsync(eth, 100, At, CancellationToken.None);
        var finalEth = (await store.GetSupplyAsync(CancellationToken.None)).Single(s => s.Name == "eth");
        Assert.That(finalEth.IndexedSupply, Is.EqualTo(expected["eth"].Final + expected["eth"].Provisional));
        Assert.That(finalEth.FinalMints + finalEth.FinalBurns, Is.EqualTo(300));
    }

    [Test]
    public async Task CommitBatch_AfterMigration_SameKeyRefusedSameSignaturePositionInOtherSignaturesOfTheSlotAccepted()
    {
        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "mint"), CancellationToken.None);
        // Two signatures in one slot, both with instruction 0: the key needs the signature as well as the slot and index.
        var slot = new[] { Event(7, "sigA", 0, 5), Event(7, "sigB", 0, 6) };
        await store.CommitBatchAsync(new IndexedBatch(id, slot, [], new ChainTip(7, "sigB"), At), CancellationToken.None);

        Assert.ThrowsAsync<SqliteException>(() => store.CommitBatchAsync(
            new IndexedBatch(id, [Event(8, "sigC", 0, 1), Event(7, "sigA", 0, 5)], [], new ChainTip(8, "sigC"), At), CancellationToken.None));
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA", "sigB" }),
            "the refused batch left nothing behind");

        // A dropped signature is still found and removed without a tx-led index.
        var removed = await store.RollBackAsync(new ChainReorganization(id, 7, "sigB", 1, "sigB", string.Empty, At, [new RemovedTransaction(7, "sigA")]), CancellationToken.None);
        Assert.That(removed, Is.EqualTo(1));
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigB" }));
    }

    [TestCase("SELECT kind, amount, block_time FROM supply_events WHERE network_id = 1 AND is_final = 0 AND block_number <= 9", "ix_supply_events_provisional")]
    [TestCase("UPDATE supply_events SET is_final = 1 WHERE network_id = 1 AND is_final = 0 AND block_number <= 9", "ix_supply_events_provisional")]
    [TestCase("SELECT rowid FROM supply_events WHERE network_id = 1 AND screened = 0 ORDER BY block_number, position, sub_position LIMIT 10", "ix_supply_events_unscreened")]
    [TestCase("DELETE FROM supply_events WHERE network_id = 1 AND block_number > 9", "ux_supply_events_key")]
    public void QueryPlan_HotStoreStatementsAfterMigration_UseTheNarrowIndex(string statement, string index)
    {
        // Finalizing and screening run on every commit and pass; a plan that walked the whole key instead would make
        // each of them cost the size of the store.
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        var steps = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                steps.Add(reader.GetString(reader.GetOrdinal("detail")));
            }
        }

        var plan = string.Join(" | ", steps);
        Assert.That(plan, Does.Match("USING (COVERING )?INDEX " + index + " "), $"plan of {statement}: {plan}");
    }

    [Test]
    public void QueryPlan_NewestBlockTime_SearchesTheKeyAndTheKeptHeadersWithoutScanOrSort()
    {
        // Read on every metrics refresh: a scan of the network's events (MAX(block_time)) would cost the store's size.
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteSupplyStore.NewestBlockTimeSql;
        command.Parameters.AddWithValue("@networkId", 1);
        var steps = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                steps.Add(reader.GetString(reader.GetOrdinal("detail")));
            }
        }

        var plan = string.Join(" | ", steps);
        Assert.Multiple(() =>
        {
            Assert.That(plan, Does.Match("SEARCH supply_events USING (COVERING )?INDEX ux_supply_events_key "), $"events through the block-led key: {plan}");
            Assert.That(plan, Does.Match("SEARCH blocks USING PRIMARY KEY"), $"headers through their key: {plan}");
            Assert.That(plan, Does.Not.Contain("SCAN supply_events").And.Not.Contain("SCAN blocks").And.Not.Contain("TEMP B-TREE"), $"no scan of a table, no sort: {plan}");
        });
    }

    private static SupplyEvent Event(long block, string tx, int position, BigInteger amount) =>
        new(SupplyEventKind.Mint, block, "0xhash" + block, tx, position, SupplyEvent.TopLevel, null, "holder", new TokenAmount(amount), null);

    /// <summary>
    /// A store as migration 0009 left it: an EVM network with 300 events (one hash per event, final through block 80,
    /// screened through 50) and a Solana network whose slots hold several signatures at instruction 0. Returns each
    /// network's final and provisional net supply.
    /// </summary>
    private Dictionary<string, (BigInteger Final, BigInteger Provisional)> CreateStoreAt0009()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        connection.Execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var assembly = typeof(SqliteMigrator).Assembly;
        foreach (var (version, name) in SqliteMigrator.KnownMigrations.Where(m => m.Version <= 9))
        {
            using var stream = assembly.GetManifestResourceStream("Usd1Reconciler.Storage.Migrations." + name)!;
            using var reader = new StreamReader(stream);
            connection.Execute(reader.ReadToEnd());
            connection.Execute("INSERT INTO schema_migrations VALUES (@version, @name, '2026-11-01T00:00:00Z')", new { version, name });
        }

        connection.Execute(
            """
            INSERT INTO networks (id, name, kind, chain_id, asset, registered_at) VALUES (1, 'eth', 'evm', 1, '0xtoken', '2026-11-01T00:00:00Z');
            INSERT INTO networks (id, name, kind, chain_id, asset, registered_at) VALUES (2, 'sol', 'solana', NULL, 'mint', '2026-11-01T00:00:00Z');
            INSERT INTO cursors VALUES (1, 100, '0xhash100', '2026-11-01T00:00:00Z');
            INSERT INTO cursors VALUES (2, 20, 'sig-20-2', '2026-11-01T00:00:00Z');
            """);

        var totals = new Dictionary<string, (BigInteger Final, BigInteger Provisional)>();
        var rows = new List<object>();
        (BigInteger Minted, BigInteger Burned, long Mints, long Burns) eth = default, sol = default;
        BigInteger ethProvisional = 0, solProvisional = 0;
        // Inserted in an order other than the new key's (newest block first), so the copy is seen to keep rowids.
        for (var i = 299; i >= 0; i--)
        {
            long block = 1 + (i / 3);
            var burn = i % 4 == 3;
            var amount = burn ? new BigInteger(i + 1) : BigInteger.Pow(2, 200) + i;
            var final = block <= 80;
            rows.Add(new { n = 1, tx = TxHash(i), pos = i % 3, sub = -1, kind = burn ? "burn" : "mint", block, hash = "0xhash" + block, amount = amount.ToString(CultureInfo.InvariantCulture), fin = final ? 1 : 0, scr = block <= 50 ? 1 : 0 });
            var signed = burn ? -amount : amount;
            if (final)
            {
                eth = burn ? (eth.Minted, eth.Burned + amount, eth.Mints, eth.Burns + 1) : (eth.Minted + amount, eth.Burned, eth.Mints + 1, eth.Burns);
            }
            else
            {
                ethProvisional += signed;
            }
        }

        for (var i = 0; i < 60; i++)
        {
            long slot = 1 + (i / 3);
            var amount = new BigInteger(1000 + i);
            var final = slot <= 10;
            rows.Add(new { n = 2, tx = $"sig-{slot}-{i % 3}", pos = 0, sub = i % 2 == 0 ? -1 : 0, kind = "mint", block = slot, hash = "bh" + slot, amount = amount.ToString(CultureInfo.InvariantCulture), fin = final ? 1 : 0, scr = 0 });
            if (final)
            {
                sol = (sol.Minted + amount, sol.Burned, sol.Mints + 1, sol.Burns);
            }
            else
            {
                solProvisional += amount;
            }
        }

        connection.Execute(
            """
            INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final, screened)
            VALUES (@n, @tx, @pos, @sub, @kind, @block, @hash, NULL, 'holder', @amount, '2026-11-01T00:00:00.0000000Z', @fin, @scr)
            """,
            rows);
        connection.Execute(
            "INSERT INTO supply_totals (network_id, final_block, minted, burned, mints, burns) VALUES (1, 80, @m1, @b1, @c1, @d1), (2, 10, @m2, @b2, @c2, @d2)",
            new { m1 = eth.Minted.ToString(), b1 = eth.Burned.ToString(), c1 = eth.Mints, d1 = eth.Burns, m2 = sol.Minted.ToString(), b2 = sol.Burned.ToString(), c2 = sol.Mints, d2 = sol.Burns });
        totals["eth"] = (eth.Minted - eth.Burned, ethProvisional);
        totals["sol"] = (sol.Minted - sol.Burned, solProvisional);
        return totals;
    }

    private List<string> Rows()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection.Query<string>(
            """
            SELECT rowid || '|' || network_id || '|' || tx_id || '|' || position || '|' || sub_position || '|' || kind || '|' || block_number || '|' ||
                   block_hash || '|' || IFNULL(actor, '-') || '|' || holder || '|' || amount || '|' || IFNULL(block_time, '-') || '|' || is_final || '|' || screened
            FROM supply_events ORDER BY rowid
            """).ToList();
    }

    private List<string> Indexes()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'supply_events' ORDER BY name").ToList();
    }
}
