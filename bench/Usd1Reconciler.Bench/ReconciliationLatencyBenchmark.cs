using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `reconcile-latency`: a store holding N events (generated straight into SQLite, cached under bench/.cache), then the
/// store side of one reconciliation timed over many runs: the supply read (running totals plus the provisional tail,
/// which is what reconciliation and the status page read) and the pure rules on its result.
/// </summary>
internal static class ReconciliationLatencyBenchmark
{
    private const int Provisional = 1_000;

    public static async Task<int> RunAsync(long events, int runs)
    {
        var path = Path.Combine(BenchEnvironment.CacheDirectory, $"store-{events}.db");
        if (!File.Exists(path))
        {
            Generate(path, events);
        }

        var store = SqliteSupplyStore.Open(path, TimeProvider.System);
        var stored = 0L;
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString()))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM supply_events";
            stored = (long)(await count.ExecuteScalarAsync())!;
        }

        var supplyTimes = new List<double>();
        var reconcileTimes = new List<double>();
        IReadOnlyList<NetworkSupply> supply = [];
        ReconciliationReport? report = null;
        for (var i = 0; i < runs + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            supply = await store.GetSupplyAsync(CancellationToken.None);
            var read = clock.Elapsed;
            report = Reconciler.Evaluate(Input(supply));
            var total = clock.Elapsed;
            if (i >= 3)
            {
                // The first runs warm the JIT and the page cache; an operator's daemon has both warm.
                supplyTimes.Add(read.TotalMilliseconds);
                reconcileTimes.Add(total.TotalMilliseconds);
            }
        }

        var n = supply.Single();
        Console.WriteLine();
        Console.WriteLine(BenchEnvironment.Invariant($"Reconciliation latency over {stored} stored events ({new FileInfo(path).Length / 1e9:0.0} GB store; {n.FinalMints + n.FinalBurns} final, {Provisional} provisional), {runs} runs"));
        Console.WriteLine(BenchEnvironment.Invariant($"  supply read (GetSupplyAsync)        median {BenchEnvironment.Median(supplyTimes):0.00} ms, p95 {BenchEnvironment.Percentile(supplyTimes, 0.95):0.00} ms, max {supplyTimes.Max():0.00} ms"));
        Console.WriteLine(BenchEnvironment.Invariant($"  supply read + rules (one reconcile) median {BenchEnvironment.Median(reconcileTimes):0.00} ms, p95 {BenchEnvironment.Percentile(reconcileTimes, 0.95):0.00} ms; verdict {report!.Verdict}"));
        return 0;
    }

    private static ReconciliationInput Input(IReadOnlyList<NetworkSupply> supply)
    {
        var now = TimeProvider.System.GetUtcNow();
        var networks = supply.Select(s => new NetworkCirculation(s.Name, s.Kind, s.FinalBlock, 6, new Core.Amounts.TokenAmount(s.IndexedSupply), LedgerProofStatus.Ok, [], null, null)).ToList();
        // Reserves of 105 % of supply (6 decimals), all cash at one bank: the rules all pass, so every one is evaluated.
        var units = networks.Aggregate(System.Numerics.BigInteger.Zero, (sum, n) => sum + n.OnchainSupply!.Value.Value) * 105 / 100;
        var usd = units.ToString(CultureInfo.InvariantCulture).PadLeft(7, '0');
        var amount = Core.Amounts.UsdAmount.Parse(string.Concat(usd.AsSpan(0, usd.Length - 6), ".", usd.AsSpan(usd.Length - 6)));
        var snapshot = new ReserveSnapshot(1, "bench", "custodian", now.AddHours(-1), [new ReserveAccount("cash", AssetClass.Cash, "USD", amount, "bank", 0)], null, "sha", null, now);
        return new ReconciliationInput("scheduled", now, networks, [new FeedInput("bench", snapshot, TimeSpan.FromDays(1), null)], new ReconciliationPolicy(10_000, 2, 2_000, 10_000));
    }

    /// <summary>Writes N events straight into a fresh store: final ones with their running totals, the last <see cref="Provisional"/> not yet final.</summary>
    internal static void Generate(string path, long events)
    {
        Console.WriteLine(BenchEnvironment.Invariant($"generating a store with {events} events at {path} …"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        long networkId;
        {
            var store = SqliteSupplyStore.Open(path + ".tmp", TimeProvider.System);
            networkId = store.RegisterNetworkAsync(new NetworkRegistration("bench", NetworkKind.Evm, 1, "0x5fbdb2315678afecb367f032d93f642f64180aa3"), CancellationToken.None).GetAwaiter().GetResult();
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path + ".tmp" }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;";
            pragma.ExecuteNonQuery();
        }

        const int perBlock = 100;
        System.Numerics.BigInteger minted = 0, burned = 0;
        long mints = 0, burns = 0;
        var finalBlock = (events - Provisional) / perBlock;
        var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText =
            "INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final) " +
            "VALUES ($n, $tx, $p, -1, $k, $b, $h, NULL, '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', $a, '2025-01-01T00:00:00.0000000+00:00', $f)";
        var pN = insert.Parameters.Add("$n", SqliteType.Integer);
        var pTx = insert.Parameters.Add("$tx", SqliteType.Text);
        var pP = insert.Parameters.Add("$p", SqliteType.Integer);
        var pK = insert.Parameters.Add("$k", SqliteType.Text);
        var pB = insert.Parameters.Add("$b", SqliteType.Integer);
        var pH = insert.Parameters.Add("$h", SqliteType.Text);
        var pA = insert.Parameters.Add("$a", SqliteType.Text);
        var pF = insert.Parameters.Add("$f", SqliteType.Integer);
        pN.Value = networkId;
        insert.Transaction = transaction;
        insert.Prepare();
        for (long i = 0; i < events; i++)
        {
            var block = i / perBlock;
            var burn = i % 4 == 3;
            var amount = 1_000_000 + (i % 1000);
            var final = block <= finalBlock && i < events - Provisional;
            pTx.Value = "0x" + (i / 10).ToString("x64", CultureInfo.InvariantCulture);
            pP.Value = (int)(i % 10);
            pK.Value = burn ? "burn" : "mint";
            pB.Value = block;
            pH.Value = "0x" + block.ToString("x64", CultureInfo.InvariantCulture);
            pA.Value = amount.ToString(CultureInfo.InvariantCulture);
            pF.Value = final ? 1 : 0;
            insert.ExecuteNonQuery();
            if (final)
            {
                if (burn)
                {
                    burned += amount;
                    burns++;
                }
                else
                {
                    minted += amount;
                    mints++;
                }
            }

            if (i % 500_000 == 499_999)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                Console.WriteLine(BenchEnvironment.Invariant($"  {i + 1} rows, {clock.Elapsed.TotalSeconds:0} s"));
            }
        }

        using (var totals = connection.CreateCommand())
        {
            totals.Transaction = transaction;
            totals.CommandText =
                "UPDATE supply_totals SET final_block = $fb, minted = $m, burned = $bu, mints = $mc, burns = $bc WHERE network_id = $n; " +
                "INSERT INTO cursors (network_id, tip_number, tip_id, indexed_at) VALUES ($n, $tip, '0x', '2025-01-01T00:00:00.0000000+00:00')";
            totals.Parameters.AddWithValue("$fb", finalBlock);
            totals.Parameters.AddWithValue("$m", minted.ToString(CultureInfo.InvariantCulture));
            totals.Parameters.AddWithValue("$bu", burned.ToString(CultureInfo.InvariantCulture));
            totals.Parameters.AddWithValue("$mc", mints);
            totals.Parameters.AddWithValue("$bc", burns);
            totals.Parameters.AddWithValue("$n", networkId);
            totals.Parameters.AddWithValue("$tip", (events - 1) / perBlock);
            totals.ExecuteNonQuery();
        }

        transaction.Commit();
        transaction.Dispose();
        connection.Close();
        SqliteConnection.ClearAllPools();
        File.Move(path + ".tmp", path);
        Console.WriteLine(BenchEnvironment.Invariant($"  generated in {clock.Elapsed.TotalSeconds:0} s"));
    }
}
