using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Npgsql;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Postgres;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `store-postgres`: the same synthetic final backfill (store-limit's events: one range of <c>batch</c> events per
/// commit, final on commit) into a fresh SQLite store and into a fresh PostgreSQL database, in the same run, through
/// each store's <c>CommitBatchAsync</c> (PostgreSQL: binary COPY). Each store's final supply is checked against the
/// events' exact sum afterwards, so a fast wrong store cannot pass. Prints the load average before and after. Without
/// <c>--connection-file</c> (a file, so the password is not echoed with the command line) a private cluster is started.
/// </summary>
internal static class StorePostgresBenchmark
{
    public static async Task<int> RunAsync(long events, int batchSize, string? connectionString)
    {
        Console.WriteLine($"load average before: {LoadAverage()}");
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-store").FullName;
        PostgresCluster? cluster = null;
        try
        {
            var sqlite = SqliteSupplyStore.Open(Path.Combine(work, "store.db"), TimeProvider.System);
            var sqliteRate = await CommitAllAsync("sqlite", sqlite, events, batchSize, null);

            if (connectionString is null)
            {
                cluster = await PostgresCluster.StartAsync();
                connectionString = await CreateDatabaseAsync(cluster.ConnectionString, "usd1rec_bench");
                Console.WriteLine("postgres: a private PostgreSQL 15 cluster on loopback (server defaults, fsync on)");
            }

            await using var postgres = PostgresSupplyStore.Open(new PostgresStorageSettings(connectionString), TimeProvider.System);
            var postgresRate = await CommitAllAsync("postgres", postgres, events, batchSize, cluster is null ? null : cluster.ServerCpu);
            Console.WriteLine(BenchEnvironment.Invariant($"postgres / sqlite: {postgresRate / sqliteRate:0.00}"));
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteSupplyStore.ReleasePooledConnections();
            Directory.Delete(work, recursive: true);
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <param name="serverCpu">CPU used so far by the database server's processes (a private cluster), null when unknown or in-process.</param>
    private static async Task<double> CommitAllAsync(string name, ISupplyStore store, long events, int batchSize, Func<TimeSpan>? serverCpu)
    {
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpuBefore = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var network = await store.RegisterNetworkAsync(new NetworkRegistration("raw", NetworkKind.Evm, 1, "0x5fbdb2315678afecb367f032d93f642f64180aa3"), CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        var expected = BigInteger.Zero;
        var clock = Stopwatch.StartNew();
        for (long start = 0, block = 1; start < events; start += batchSize, block += 100)
        {
            var hash = "0x" + block.ToString("x64", CultureInfo.InvariantCulture);
            var tx = "0x" + (start * 7919).ToString("x64", CultureInfo.InvariantCulture);
            var batch = new List<SupplyEvent>(batchSize);
            for (var i = 0; i < batchSize && start + i < events; i++)
            {
                var burn = i % 4 == 3;
                batch.Add(new SupplyEvent(burn ? SupplyEventKind.Burn : SupplyEventKind.Mint, block, hash, tx, i, SupplyEvent.TopLevel, null,
                    "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", new TokenAmount(1_000_000), now));
                expected += burn ? -1_000_000 : 1_000_000;
            }

            await store.CommitBatchAsync(new IndexedBatch(network, batch, [new BlockHeader(block, hash, "0x", now)], new ChainTip(block, hash), now) { FinalThrough = block }, CancellationToken.None);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalSeconds;
        var serverCpuUsed = ((serverCpu?.Invoke() ?? TimeSpan.Zero) - serverCpuBefore).TotalSeconds;
        var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        var stored = supply.FinalMinted - supply.FinalBurned;
        if (stored != expected || supply.FinalMints + supply.FinalBurns != events)
        {
            throw new InvalidOperationException($"{name}: the store holds {supply.FinalMints + supply.FinalBurns} final events summing to {stored}, expected {events} summing to {expected}");
        }

        Console.WriteLine(BenchEnvironment.Invariant($"{name}: {events} events in {seconds:0.00} s = {events / seconds:0} events/s (batches of {batchSize}, final on commit; supply checked)"));
        // CPU seconds say what the work costs whatever else the machine runs; wall time on a shared machine does not.
        Console.WriteLine(BenchEnvironment.Invariant(
            $"{name}: CPU {clientCpu:0.00} s in this process{(serverCpu is null ? string.Empty : $" + {serverCpuUsed:0.00} s in the server")} = {events / (clientCpu + serverCpuUsed):0} events per CPU-second"));
        return events / seconds;
    }

    private static async Task<string> CreateDatabaseAsync(string serverConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
