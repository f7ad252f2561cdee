using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `rate-limited-backfill`: `usd1rec index --once` from an empty store against <see cref="SyntheticChainServer"/> (a
/// 20,000,000-block chain behind a provider's limits), timed against the ideal bound — the requests the caps make
/// necessary, divided by the rate limit. Variants run alternately in the same process, one fresh store each, so that
/// what other work the shared machine does falls on all of them alike: the build under test with and without
/// `MaxRequestsPerSecond`, and optionally an older build (`--baseline-dll`) without it.
/// </summary>
internal static class RateLimitedBackfillBenchmark
{
    private static string SyntheticChainServerLatency(SyntheticChainServer server) => BenchEnvironment.Invariant($"{server.Latency.TotalMilliseconds:0} ms of it added");

    private const int MaxBlockRange = 10_000;
    private const int MaxResults = 10_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> options, bool rebuild)
    {
        string Option(string name, string fallback)
        {
            var at = options.ToList().IndexOf(name);
            return at >= 0 && at + 1 < options.Count ? options[at + 1] : fallback;
        }

        int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var rate = Number("--rps", 25);
        var events = Number("--events", 250_000);
        var clustered = Number("--clustered", 150_000);
        var latency = TimeSpan.FromMilliseconds(Number("--latency-ms", 80));
        var runs = Number("--runs", 1);
        var baseline = Option("--baseline-dll", string.Empty);
        var variants = Option("--variants", baseline.Length > 0 ? "baseline,unbudgeted,budget" : "unbudgeted,budget").Split(',');
        var environment = BenchEnvironment.ChildEnvironment(options);
        var timeline = Option("--timeline", string.Empty);

        BenchEnvironment.EnsureReleaseBuild(rebuild);
        var blockTimestamp = options.Contains("--block-timestamp");
        await using var server = SyntheticChainServer.Start(events, clustered, rate, latency, blockTimestamp);
        var logRequests = server.MinimumLogRequests(MaxBlockRange, MaxResults);
        // What any indexer must also ask: the headers of the blocks that are not final yet (stored for the reorg walk)
        // and the final block's (the anchor), and a handful of one-off calls (chain id, head, finalized tag, code,
        // totalSupply for the ledger proof). Batched or not, each counts against the rate.
        var headers = (int)SyntheticChainServer.FinalityLag + 1;
        const int oneOff = 6;
        var bound = (double)(logRequests + headers + oneOff) / rate;
        Console.WriteLine(BenchEnvironment.Invariant(
            $"chain: blocks 0-{SyntheticChainServer.Head}, token from block {SyntheticChainServer.DeployBlock}, {server.Events} events ({server.Mints} mints, {server.Burns} burns; {clustered} in bursts of 10,000 over 1,000 blocks), 2 logs each"));
        Console.WriteLine(BenchEnvironment.Invariant(
            $"provider: {latency.TotalMilliseconds:0} ms added latency, {MaxBlockRange}-block range cap, {MaxResults}-result cap, {rate} requests/s (batch elements counted, sliding second, 429 + Retry-After: 1 beyond it){(blockTimestamp ? "; logs carry blockTimestamp" : string.Empty)}"));
        Console.WriteLine(BenchEnvironment.Invariant(
            $"ideal bound: ({logRequests} eth_getLogs at the caps + {headers} unfinal/anchor headers + {oneOff} one-off calls) / {rate} per s = {bound:0.0} s (eth_getLogs alone: {(double)logRequests / rate:0.0} s)"));

        var work = Directory.CreateTempSubdirectory("usd1rec-bench-ratelimit").FullName;
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                foreach (var variant in variants)
                {
                    // "baseline-budget": the older build with the same budget, for an A/B of what changed under it.
                    var dll = variant.StartsWith("baseline", StringComparison.Ordinal) ? baseline : BenchEnvironment.Usd1recDll;
                    int? budget = variant is "budget" or "baseline-budget" ? rate : null;
                    await RunOnceAsync(server, work, $"{variant} run {run}", dll, budget, bound, environment, timeline);
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <param name="timeline">When set, a CSV of every post the server saw (see <see cref="SyntheticChainServer.WriteTimeline"/>) goes to this path, the run's label appended.</param>
    private static async Task RunOnceAsync(
        SyntheticChainServer server, string work, string label, string dll, int? budget, double bound, IReadOnlyDictionary<string, string> environment, string timeline)
    {
        var storePath = Path.Combine(work, $"{label.Replace(' ', '-')}.db");
        var config = Path.Combine(work, $"{label.Replace(' ', '-')}.json");
        var network = new Dictionary<string, object>
        {
            ["Name"] = "ratelimited",
            ["Kind"] = "Evm",
            ["ChainId"] = SyntheticChainServer.ChainId,
            ["RpcUrls"] = new[] { server.Url.ToString() },
            ["Token"] = SyntheticChainServer.Token,
            ["StartBlock"] = SyntheticChainServer.DeployBlock,
            ["MaxBlockRange"] = MaxBlockRange,
        };
        if (budget is { } perSecond)
        {
            network["MaxRequestsPerSecond"] = perSecond;
        }

        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Storage = new { Path = storePath },
            Logging = new { Level = "Warning" },
            Networks = new[] { network },
        }));

        // A second apart, so the provider's window holds nothing of the run before.
        await Task.Delay(TimeSpan.FromSeconds(1.1), TimeProvider.System);
        server.ResetCounters();
        var run = await ChildRun.RunAsync("dotnet", [dll, "index", "--config", config, "--once"], environment);
        var calls = server.Calls;
        if (timeline.Length > 0)
        {
            var path = $"{timeline}.{label.Replace(' ', '-')}.csv";
            await File.WriteAllLinesAsync(path, server.WriteTimeline());
            Console.WriteLine($"  timeline of the posts: {path}");
        }

        var refused = server.Refused;
        var posts = server.Posts;
        var service = server.MeanServiceTime;
        var peakInFlight = server.PeakInFlight;
        var warnings = run.StandardError.Split('\n').Count(l => l.Contains("failed at", StringComparison.Ordinal));
        if (run.ExitCode != 0)
        {
            Console.WriteLine();
            Console.WriteLine(BenchEnvironment.Invariant(
                $"{label}: usd1rec index FAILED (exit {run.ExitCode}) after {run.Wall.TotalSeconds:0.0} s, peak RSS {run.PeakRssBytes / 1048576.0:0} MiB; answered {calls.Values.Sum()}: {string.Join(", ", calls.Select(c => $"{c.Key} {c.Value}"))}; HTTP 429: {refused}"));
            Console.WriteLine("  " + run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault());
            return;
        }

        // What usd1rec said at the end ("indexed to …", or "stopped at block N" after a SIGTERM).
        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Console.WriteLine($"  usd1rec: {line}");
        }

        var store = SqliteSupplyStore.Open(storePath, TimeProvider.System);
        var supply = (await store.GetSupplyAsync(CancellationToken.None)).SingleOrDefault();
        var stored = supply is null ? 0 : supply.FinalMints + supply.FinalBurns;
        var check = supply is not null && stored == server.Events && supply.IndexedSupply == server.Supply
            ? "store holds every event and the supply"
            : $"WRONG: the store holds {stored} final events and supply {supply?.IndexedSupply}, the chain {server.Events} and {server.Supply}";
        Console.WriteLine();
        Console.WriteLine(BenchEnvironment.Invariant(
            $"{label} ({(budget is { } b ? $"MaxRequestsPerSecond {b}" : "no budget")}): {run.Wall.TotalSeconds:0.0} s = {run.Wall.TotalSeconds / bound:0.00}x the bound, peak RSS {run.PeakRssBytes / 1048576.0:0} MiB ({run.PeakRssBytes / 1e6:0} MB), CPU {run.CpuTime.TotalSeconds:0.0} s"));
        Console.WriteLine(BenchEnvironment.Invariant(
            $"  answered {calls.Values.Sum()} requests in {posts - refused} posts: {string.Join(", ", calls.Select(c => $"{c.Key} {c.Value}"))}; HTTP 429: {refused}; 'failed at' warnings logged: {warnings}; {check}"));
        Console.WriteLine(BenchEnvironment.Invariant(
            $"  server: {service.TotalMilliseconds:0} ms mean per post (arrival to last byte, {SyntheticChainServerLatency(server)}), at most {peakInFlight} posts at once"));
    }
}
