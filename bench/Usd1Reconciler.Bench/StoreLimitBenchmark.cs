using System.Diagnostics;
using System.Globalization;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>`store-limit`: synthetic fixture-shaped events committed straight into a fresh store, in batches of one range's size, final on commit.</summary>
internal static class StoreLimitBenchmark
{
    /// <param name="distinctTransactions">
    /// Every event in its own transaction with a hash-like (random-looking) id, as on a public chain, instead of one
    /// transaction per batch as on the anvil fixture: the primary key then grows at random places, not at its end.
    /// </param>
    /// <param name="oldKey">
    /// Put back the indexes migration 0010 replaced (the key led by tx_id, and the block index) on the fresh store, so
    /// the key before and after can be compared in one build and one run.
    /// </param>
    public static async Task<int> RunAsync(long events, int batchSize, bool distinctTransactions = false, bool oldKey = false)
    {
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-store").FullName;
        try
        {
            var store = SqliteSupplyStore.Open(Path.Combine(work, "store.db"), TimeProvider.System);
            if (oldKey)
            {
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(work, "store.db")};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                // As 0001 made them: the primary key (network_id, tx_id, position, sub_position) is an automatic unique
                // index of the same shape; the unscreened index as 0003 made it.
                command.CommandText = """
                    DROP INDEX ux_supply_events_key;
                    DROP INDEX ix_supply_events_unscreened;
                    CREATE UNIQUE INDEX ux_supply_events_old_key ON supply_events (network_id, tx_id, position, sub_position);
                    CREATE INDEX ix_supply_events_block ON supply_events (network_id, block_number);
                    CREATE INDEX ix_supply_events_unscreened ON supply_events (network_id, block_number) WHERE screened = 0;
                    """;
                command.ExecuteNonQuery();
            }

            var network = await store.RegisterNetworkAsync(new NetworkRegistration("raw", NetworkKind.Evm, 1, "0x5fbdb2315678afecb367f032d93f642f64180aa3"), CancellationToken.None);
            var now = TimeProvider.System.GetUtcNow();
            var clock = Stopwatch.StartNew();
            var lap = Stopwatch.StartNew();
            for (long start = 0, block = 1; start < events; start += batchSize, block += 100)
            {
                var hash = "0x" + block.ToString("x64", CultureInfo.InvariantCulture);
                var tx = "0x" + (start * 7919).ToString("x64", CultureInfo.InvariantCulture);
                var batch = new List<SupplyEvent>(batchSize);
                for (var i = 0; i < batchSize && start + i < events; i++)
                {
                    var eventTx = distinctTransactions ? "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(start + i))) : tx;
                    batch.Add(new SupplyEvent(i % 4 == 3 ? SupplyEventKind.Burn : SupplyEventKind.Mint, block, hash, eventTx, i, SupplyEvent.TopLevel, null,
                        "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", new TokenAmount(1_000_000), now));
                }

                await store.CommitBatchAsync(new IndexedBatch(network, batch, [new BlockHeader(block, hash, "0x", now)], new ChainTip(block, hash), now) { FinalThrough = block }, CancellationToken.None);
                if ((start / batchSize) % 20 == 19)
                {
                    Console.WriteLine(BenchEnvironment.Invariant($"  {start + batchSize} rows; last {20 * batchSize} at {20 * batchSize / lap.Elapsed.TotalSeconds:0} rows/s"));
                    lap.Restart();
                }
            }

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            Console.WriteLine(BenchEnvironment.Invariant($"store limit: {events} rows in {clock.Elapsed.TotalSeconds:0.00} s = {events / clock.Elapsed.TotalSeconds:0} rows/s, process CPU {cpu.TotalSeconds:0.0} s, file + WAL {(new FileInfo(Path.Combine(work, "store.db")).Length + (File.Exists(Path.Combine(work, "store.db-wal")) ? new FileInfo(Path.Combine(work, "store.db-wal")).Length : 0)) / 1e6:0} MB (batches of {batchSize}, final on commit{(distinctTransactions ? ", one transaction per event" : string.Empty)}{(oldKey ? ", key led by tx_id as before 0010" : ", key led by block (0010)")})"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }
}
