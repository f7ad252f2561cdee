using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `store-open`: what opening a store costs as it grows. Two stores are generated straight into SQLite in a temporary
/// folder under bench/.cache (the same generator as reconcile-latency: N events with running totals, the last 1,000
/// provisional, so both stores have the same provisional tail and the supply read does the same work): a tiny one
/// (the baseline) and a big one. Then `usd1rec supply --json` is run against each, alternately, and the ratio of the
/// medians is printed; in-process, the open itself is timed on both, and so is the `PRAGMA quick_check` that opening
/// used to run, for the cost that was removed. The folder is deleted at the end.
/// </summary>
internal static class StoreOpenBenchmark
{
    /// <summary>The target: a big store's `supply --json` within this factor of the tiny store's.</summary>
    private const double TargetRatio = 1.2;

    // Never called: supply reads the store only.
    private static readonly string[] UnusedEndpoint = ["http://127.0.0.1:1"];

    public static async Task<int> RunAsync(long events, long tinyEvents, int runs, bool rebuild)
    {
        BenchEnvironment.EnsureReleaseBuild(rebuild);
        var folder = Path.Combine(BenchEnvironment.CacheDirectory, $"store-open-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var tiny = Prepare(folder, "tiny", tinyEvents);
            var big = Prepare(folder, "big", events);

            // Alternate the two so that drift on the shared machine falls on both; the first run of each warms the
            // runtime's files and the page cache, as an operator's second command would find them.
            var times = new Dictionary<string, List<double>> { ["tiny"] = [], ["big"] = [] };
            for (var i = 0; i <= runs; i++)
            {
                foreach (var (name, config, _) in new[] { tiny, big })
                {
                    var run = await ChildRun.RunAsync("dotnet", [BenchEnvironment.Usd1recDll, "supply", "--json", "--config", config]);
                    CheckSupply(name, run);
                    if (i > 0)
                    {
                        times[name].Add(run.Wall.TotalMilliseconds);
                    }
                }
            }

            var openTiny = TimeOpen(tiny.Store);
            var openBig = TimeOpen(big.Store);
            var quickCheck = TimeQuickCheck(big.Store);

            var ratio = BenchEnvironment.Median(times["big"]) / BenchEnvironment.Median(times["tiny"]);
            Console.WriteLine();
            Console.WriteLine(BenchEnvironment.Invariant($"Store open: `usd1rec supply --json`, {runs} runs each after one warm-up, alternating"));
            foreach (var (name, _, store) in new[] { tiny, big })
            {
                var t = times[name];
                Console.WriteLine(BenchEnvironment.Invariant(
                    $"  {name,-4} {EventCount(store),10} events, {new FileInfo(store).Length / 1e6,8:0.0} MB: median {BenchEnvironment.Median(t):0} ms, min {t.Min():0} ms, max {t.Max():0} ms"));
            }

            Console.WriteLine(BenchEnvironment.Invariant($"  ratio big / tiny (medians): {ratio:0.00} (target <= {TargetRatio:0.0}) {(ratio <= TargetRatio ? "MET" : "NOT MET")}"));
            Console.WriteLine(BenchEnvironment.Invariant($"  SqliteSupplyStore.Open in-process, median of 20: tiny {openTiny:0.00} ms, big {openBig:0.00} ms"));
            Console.WriteLine(BenchEnvironment.Invariant($"  PRAGMA quick_check on the big store (what every open ran before): {quickCheck:0} ms"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            Console.WriteLine($"deleted {folder}");
        }
    }

    private static (string Name, string Config, string Store) Prepare(string folder, string name, long events)
    {
        var store = Path.Combine(folder, $"{name}.db");
        ReconciliationLatencyBenchmark.Generate(store, events);
        var config = Path.Combine(folder, $"{name}.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Storage = new { Path = store },
            Networks = new[]
            {
                // The generator's network.
                new { Name = "bench", Kind = "Evm", ChainId = 1, RpcUrls = UnusedEndpoint, Token = "0x5fbdb2315678afecb367f032d93f642f64180aa3" },
            },
            Logging = new { Level = "Warning" },
        }));
        return (name, config, store);
    }

    private static void CheckSupply(string name, ChildRun run)
    {
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"supply on the {name} store exited {run.ExitCode}: {run.StandardError}");
        }

        using var json = JsonDocument.Parse(run.StandardOutput);
        if (json.RootElement.GetProperty("networks").GetArrayLength() != 1)
        {
            throw new InvalidOperationException($"supply on the {name} store did not report the one network: {run.StandardOutput}");
        }
    }

    private static double TimeOpen(string store)
    {
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            SqliteConnection.ClearAllPools();
            var clock = Stopwatch.StartNew();
            _ = SqliteSupplyStore.Open(store, TimeProvider.System);
            if (i > 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return BenchEnvironment.Median(times);
    }

    private static double TimeQuickCheck(string store)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var clock = Stopwatch.StartNew();
        var result = connection.ExecuteScalar<string>("PRAGMA quick_check");
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return result == "ok" ? elapsed : throw new InvalidOperationException($"quick_check on {store}: {result}");
    }

    private static long EventCount(string store)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM supply_events");
    }
}
