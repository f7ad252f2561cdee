using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// Migration 0054 (issue 18): supply_events keyed by block first on PostgreSQL, converted in place on a populated
/// store, and the statements that must seek that key (the rollback of dropped Solana signatures by slot above all).
/// </summary>
public sealed partial class PostgresStoreTests
{
    private const int BlockLedKeyMigration = 54;

    // A hash-like transaction id per event, as on a public chain: the case the old tx-led key scattered.
    private static string TxHash(int i) => "0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))));

    [Test]
    public async Task Migrate0054_PopulatedStoreAt0053_EveryRowKeptSupplyUnchangedAndDuplicateRefusedAfter()
    {
        var settings = await NewDatabaseAsync();
        var (eth, sol, expected) = await CreateStoreAt0053Async(settings.ConnectionString);
        var before = await EventRowsAsync(settings.ConnectionString);

        await using (var connection = new NpgsqlConnection(settings.ConnectionString))
        {
            connection.Open();
            Assert.That(PostgresMigrator.Apply(connection, TimeProvider.System), Is.EqualTo(new[] { BlockLedKeyMigration }), "only migration 54 is pending");
            var key = (await connection.QueryAsync<string>(
                """
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indexrelid = 'supply_events_pkey'::regclass AND i.indisprimary AND i.indisunique
                ORDER BY array_position(i.indkey::int2[], a.attnum)
                """)).ToList();
            var indexes = (await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'supply_events' ORDER BY indexname")).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(key, Is.EqualTo(new[] { "network_id", "block_number", "position", "sub_position", "tx_id" }), "the primary key leads with the block");
                Assert.That(indexes, Is.EqualTo(new[] { "ix_supply_events_id", "ix_supply_events_provisional", "ix_supply_events_unscreened", "supply_events_pkey" }),
                    "the block index is gone (the key's leading columns serve it); the screen's id index stays");
            });
        }

        Assert.That(await EventRowsAsync(settings.ConnectionString), Is.EqualTo(before), "every row, with its id, flags and values, survives the new key");
        Assert.That(new PostgresStoreMaintenance(settings).Check().Problems, Is.Empty, "db check: totals still equal the final events");

        await using var store = PostgresSupplyStore.Open(settings, TimeProvider.System);
        var supplies = (await store.GetSupplyAsync(CancellationToken.None)).ToDictionary(s => s.Name);
        Assert.Multiple(() =>
        {
            foreach (var (name, (final, provisional)) in expected)
            {
                Assert.That(supplies[name].IndexedSupply, Is.EqualTo(final), $"{name}: final supply");
                Assert.That(supplies[name].ProvisionalSupply, Is.EqualTo(final + provisional), $"{name}: with the provisional tail");
            }
        });

        var events = await store.GetEventsAsync(eth, CancellationToken.None);
        Assert.That(events.Select(e => (e.Event.BlockNumber * 10) + e.Event.Position), Is.Ordered, "chain order: block, then log index (below 10 here)");

        // The migrated store keeps the exactly-once guarantee for an event it already held: the batch goes whole.
        var again = events.First(e => !e.IsFinal).Event;
        var duplicate = new IndexedBatch(eth, [Event(101, "0xnew", 1), again], [], new ChainTip(101, "0xhash101"), Start);
        var error = Assert.ThrowsAsync<PostgresException>(() => store.CommitBatchAsync(duplicate, CancellationToken.None));
        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.UniqueViolation));
        Assert.That(error.ConstraintName, Is.EqualTo("supply_events_pkey"));
        Assert.That(await store.GetTipAsync(eth, CancellationToken.None), Is.EqualTo(new ChainTip(100, "0xhash100")), "the cursor did not move");
        Assert.That(await store.GetEventsAsync(eth, CancellationToken.None), Has.Count.EqualTo(events.Count), "nothing of the refused batch stayed");

        // A Solana slot's signatures share instruction indexes: the same slot and index under another signature is
        // a different event, and a dropped one is found by its slot.
        await store.CommitBatchAsync(new IndexedBatch(sol, [SolanaMint(21, "sig-21-0"), SolanaMint(21, "sig-21-1")], [], new ChainTip(21, "sig-21-1"), Start), CancellationToken.None);
        var removed = await store.RollBackAsync(
            new ChainReorganization(sol, 21, "sig-21-1", 1, "sig-21-1", string.Empty, Start, [new RemovedTransaction(21, "sig-21-0"), new RemovedTransaction(20, "sig-20-2")]),
            CancellationToken.None);
        Assert.That(removed, Is.EqualTo(2), "sig-21-0 at slot 21 and the migrated sig-20-2 at slot 20");
        var left = (await store.GetEventsAsync(sol, CancellationToken.None)).Select(e => e.Event.TransactionId).ToList();
        Assert.That(left, Has.Count.EqualTo(60));
        Assert.That(left, Has.Member("sig-21-1").And.Member("sig-20-0"), "the other signatures of both slots stay");
        Assert.That(left, Has.No.Member("sig-21-0").And.No.Member("sig-20-2"));
    }

    [Test]
    public async Task Explain_RollbackBySlotNewestEventAndScreen_SeekTheBlockLedKeyOrTheirPartialIndex()
    {
        // A network with 20,000 events over 2,000 blocks, final through 1,900, screened through 1,950, analyzed: the
        // planner's choices with real statistics. Each statement below runs on every pass or rollback; a plan that
        // read the network's events would make it cost the size of the store.
        var settings = await NewDatabaseAsync();
        await PostgresSupplyStore.Open(settings, TimeProvider.System).DisposeAsync();
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        await connection.ExecuteAsync(
            """
            INSERT INTO networks (name, kind, chain_id, asset, registered_at) VALUES ('eth', 'evm', 1, '0xtoken', now()), ('sol', 'solana', NULL, 'Mint111', now());
            INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final, screened)
            SELECT n.id, md5(n.id || ':' || g), g % 10, -1, 'mint', g / 10, 'h' || (g / 10), NULL, 'holder', 1, now(), g / 10 <= 1900, g / 10 <= 1950
            FROM generate_series(10, 20009) AS g CROSS JOIN networks n;
            INSERT INTO governance_changes (network_id, tx_id, position, sub_position, block_number, block_hash, block_time, kind, subject, old_value, new_value, actor)
            SELECT n.id, md5('g' || n.id || ':' || g), 0, -1, g, 'h' || g, now(), 'paused', 'paused', NULL, 'true', 'admin'
            FROM generate_series(1, 2000) AS g CROSS JOIN networks n;
            INSERT INTO supply_totals (network_id, final_block, minted, burned, mints, burns) SELECT id, 1900, 0, 0, 0, 0 FROM networks;
            ANALYZE supply_events;
            ANALYZE governance_changes;
            """);
        var networkId = await connection.ExecuteScalarAsync<long>("SELECT id FROM networks WHERE name = 'sol'");
        var dropped = new { NetworkId = networkId, Slots = new[] { 1990L, 1991L }, TransactionIds = new[] { "sigA", "sigB" } };

        async Task<string> PlanAsync(string statement, object parameters) =>
            string.Join(" | ", await connection.QueryAsync<string>("EXPLAIN " + statement, parameters));

        var guard = await PlanAsync(PostgresSupplyStore.FinalEventsOfRemovedTransactionsSql, dropped);
        var delete = await PlanAsync(PostgresSupplyStore.DeleteEventsOfRemovedTransactionsSql, dropped);
        var changesGuard = await PlanAsync(PostgresSupplyStore.FinalChangesOfRemovedTransactionsSql, dropped);
        var changesDelete = await PlanAsync(PostgresSupplyStore.DeleteChangesOfRemovedTransactionsSql, dropped);
        var newest = await PlanAsync(
            "SELECT block_time FROM supply_events WHERE network_id = @networkId AND block_time IS NOT NULL ORDER BY block_number DESC LIMIT 1", new { networkId });
        var rollbackByBlock = await PlanAsync("DELETE FROM supply_events WHERE network_id = @networkId AND block_number > 1995", new { networkId });
        var screen = await PlanAsync(
            "SELECT id FROM supply_events e WHERE e.network_id = @networkId AND NOT e.screened ORDER BY e.block_number, e.position, e.sub_position LIMIT 10", new { networkId });

        Assert.Multiple(() =>
        {
            Assert.That(guard, Does.Match(@"(Index (Only )?Scan using|Bitmap Index Scan on) supply_events_pkey .*Index Cond: .*block_number = ANY"), $"the guard seeks the key by slot: {guard}");
            Assert.That(delete, Does.Match(@"(Index Scan using|Bitmap Index Scan on) (supply_events_pkey|ix_supply_events_provisional) .*Index Cond: .*block_number = ANY"),
                $"the delete seeks by slot: {delete}");
            Assert.That(changesGuard, Does.Match(@"(Index (Only )?Scan using|Bitmap Index Scan on) governance_changes_pkey .*Index Cond: .*tx_id = ANY"),
                $"governance changes are keyed by signature: {changesGuard}");
            Assert.That(changesDelete, Does.Match(@"(Index Scan using|Bitmap Index Scan on) governance_changes_pkey .*Index Cond: .*tx_id = ANY"), changesDelete);
            Assert.That(newest, Does.Contain("Index Scan Backward using supply_events_pkey"), $"the newest event read walks the key from its end: {newest}");
            Assert.That(rollbackByBlock, Does.Match(@"(Index Scan using|Bitmap Index Scan on) supply_events_pkey .*Index Cond: .*block_number > "), rollbackByBlock);
            Assert.That(screen, Does.Contain("ix_supply_events_unscreened").And.Not.Contain("Sort"), $"the screen reads unscreened events in key order: {screen}");
            foreach (var plan in new[] { guard, delete, changesGuard, changesDelete, newest, rollbackByBlock, screen })
            {
                Assert.That(plan, Does.Not.Contain("Seq Scan on supply_events").And.Not.Contain("Seq Scan on governance_changes"), plan);
            }
        });
    }

    private static SupplyEvent SolanaMint(long slot, string signature) =>
        new(SupplyEventKind.Mint, slot, "bh" + slot, signature, 0, SupplyEvent.TopLevel, null, "holder", new TokenAmount(7), null);

    /// <summary>
    /// A store as migration 0053 left it: an EVM network with 300 events (one hash per event, final through block 80,
    /// screened through 50, inserted newest block first) and a Solana network whose slots hold several signatures at
    /// instruction 0. Returns the networks' ids and each network's final and provisional net supply.
    /// </summary>
    private static async Task<(long Eth, long Sol, Dictionary<string, (BigInteger Final, BigInteger Provisional)> Expected)> CreateStoreAt0053Async(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
        var assembly = typeof(PostgresMigrator).Assembly;
        foreach (var (version, name) in PostgresMigrator.KnownMigrations.Where(m => m.Version < BlockLedKeyMigration))
        {
            await using var stream = assembly.GetManifestResourceStream("Usd1Reconciler.Storage.Postgres.Migrations." + name)!;
            using var reader = new StreamReader(stream);
            await connection.ExecuteAsync(await reader.ReadToEndAsync());
            await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, @name, now())", new { version, name });
        }

        var eth = await connection.ExecuteScalarAsync<long>("INSERT INTO networks (name, kind, chain_id, asset, registered_at) VALUES ('eth', 'evm', 1, '0xtoken', now()) RETURNING id");
        var sol = await connection.ExecuteScalarAsync<long>("INSERT INTO networks (name, kind, chain_id, asset, registered_at) VALUES ('sol', 'solana', NULL, 'Mint111', now()) RETURNING id");
        await connection.ExecuteAsync("INSERT INTO cursors VALUES (@eth, 100, '0xhash100', now()), (@sol, 20, 'sig-20-2', now())", new { eth, sol });

        var rows = new List<(long Network, string Tx, int Position, int Sub, string Kind, long Block, string Amount, bool Final, bool Screened)>();
        BigInteger ethMinted = 0, ethBurned = 0, ethProvisional = 0, solMinted = 0, solProvisional = 0;
        long ethMints = 0, ethBurns = 0, solMints = 0;
        for (var i = 299; i >= 0; i--)
        {
            long block = 1 + (i / 3);
            var burn = i % 4 == 3;
            var amount = burn ? new BigInteger(i + 1) : BigInteger.Pow(2, 200) + i;
            var final = block <= 80;
            rows.Add((eth, TxHash(i), i % 3, -1, burn ? "burn" : "mint", block, amount.ToString(CultureInfo.InvariantCulture), final, block <= 50));
            if (!final)
            {
                ethProvisional += burn ? -amount : amount;
            }
            else if (burn)
            {
                (ethBurned, ethBurns) = (ethBurned + amount, ethBurns + 1);
            }
            else
            {
                (ethMinted, ethMints) = (ethMinted + amount, ethMints + 1);
            }
        }

        for (var i = 0; i < 60; i++)
        {
            long slot = 1 + (i / 3);
            var amount = new BigInteger(1000 + i);
            var final = slot <= 10;
            rows.Add((sol, $"sig-{slot}-{i % 3}", 0, i % 2 == 0 ? -1 : 0, "mint", slot, amount.ToString(CultureInfo.InvariantCulture), final, false));
            if (final)
            {
                (solMinted, solMints) = (solMinted + amount, solMints + 1);
            }
            else
            {
                solProvisional += amount;
            }
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final, screened)
            SELECT r.network_id, r.tx_id, r.position, r.sub_position, r.kind, r.block_number, 'h' || r.block_number, NULL, 'holder', CAST(r.amount AS numeric), now(), r.is_final, r.screened
            FROM unnest(@Networks, @Txs, @Positions, @Subs, @Kinds, @Blocks, @Amounts, @Finals, @Screened)
                AS r (network_id, tx_id, position, sub_position, kind, block_number, amount, is_final, screened)
            """,
            new
            {
                Networks = rows.Select(r => r.Network).ToArray(),
                Txs = rows.Select(r => r.Tx).ToArray(),
                Positions = rows.Select(r => r.Position).ToArray(),
                Subs = rows.Select(r => r.Sub).ToArray(),
                Kinds = rows.Select(r => r.Kind).ToArray(),
                Blocks = rows.Select(r => r.Block).ToArray(),
                Amounts = rows.Select(r => r.Amount).ToArray(),
                Finals = rows.Select(r => r.Final).ToArray(),
                Screened = rows.Select(r => r.Screened).ToArray(),
            });
        await connection.ExecuteAsync(
            """
            INSERT INTO supply_totals (network_id, final_block, minted, burned, mints, burns)
            VALUES (@eth, 80, CAST(@m1 AS numeric), CAST(@b1 AS numeric), @c1, @d1), (@sol, 10, CAST(@m2 AS numeric), 0, @c2, 0)
            """,
            new { eth, sol, m1 = ethMinted.ToString(), b1 = ethBurned.ToString(), c1 = ethMints, d1 = ethBurns, m2 = solMinted.ToString(), c2 = solMints });

        var expected = new Dictionary<string, (BigInteger Final, BigInteger Provisional)>
        {
            ["eth"] = (ethMinted - ethBurned, ethProvisional),
            ["sol"] = (solMinted, solProvisional),
        };
        return (eth, sol, expected);
    }

    private static async Task<List<string>> EventRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<string>(
            """
            SELECT concat_ws('|', id, network_id, tx_id, position, sub_position, kind, block_number, block_hash, coalesce(actor, '-'), holder, amount::text,
                             block_time, is_final, screened)
            FROM supply_events ORDER BY id
            """)).ToList();
    }
}
