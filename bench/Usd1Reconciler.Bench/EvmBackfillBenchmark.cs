using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `evm-backfill`: `usd1rec index --once` (Release, child process) from an empty store over the anvil fixture, and in
/// the same run the two limits it is measured against: the node (eth_getLogs over the same blocks, replies read and
/// discarded) and the store (the same rows committed straight into a fresh SQLite store, then finalized).
/// </summary>
internal static class EvmBackfillBenchmark
{
    /// <param name="dense">The second shape: 1,000 logs per transaction over 2 blocks instead of 10,000 over 100.</param>
    /// <param name="compare">
    /// Further usd1rec builds (paths to usd1rec.dll) to run on the same anvil, alternating with this one
    /// <paramref name="runs"/> times, before the limits are measured: an A/B in the same window of a shared machine.
    /// </param>
    /// <param name="pipelineOnly">Only the usd1rec runs, not the node's and the store's limits.</param>
    /// <param name="environment">DOTNET_ settings for every usd1rec child (GC settings tried without a rebuild).</param>
    public static async Task<int> RunAsync(
        long events, int rawRangeBlocks, int rawParallelism, bool rebuild, bool dense = false, IReadOnlyList<string>? compare = null, int runs = 1, bool pipelineOnly = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        BenchEnvironment.EnsureReleaseBuild(rebuild);
        var fixture = dense ? EvmFixture.Ensure(events, 1_000, 1) : EvmFixture.Ensure(events);
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-evm").FullName;
        try
        {
            await using var anvil = await AnvilProcess.StartAsync(fixture.StatePath);
            Console.WriteLine(BenchEnvironment.Invariant($"anvil loaded {new FileInfo(fixture.StatePath).Length / 1e6:0} MB of state in {anvil.StartTime.TotalSeconds:0.0} s; blocks {fixture.FirstBlock}-{fixture.Head}, {fixture.Events} events ({fixture.Mints} mints, {fixture.Burns} burns){(dense ? ", dense shape (1,000 logs per transaction over 2 blocks)" : string.Empty)}"));

            // 1. The pipeline, end to end, as an operator runs it.
            var builds = new List<string> { BenchEnvironment.Usd1recDll };
            builds.AddRange(compare ?? []);
            ChildRun? run = null;
            string storePath = string.Empty;
            var anvilCpu = TimeSpan.Zero;
            for (var round = 1; round <= runs; round++)
            {
                foreach (var entry in builds)
                {
                    // "env:DOTNET_A=1;DOTNET_B=2" is this build with those runtime settings added: a GC setting A/B in one run.
                    var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                    var build = entry;
                    if (entry.StartsWith("env:", StringComparison.Ordinal))
                    {
                        build = BenchEnvironment.Usd1recDll;
                        foreach (var pair in entry["env:".Length..].Split(';', StringSplitOptions.RemoveEmptyEntries))
                        {
                            var (name, value) = pair.Split('=', 2) is [var n, var v] && n.StartsWith("DOTNET_", StringComparison.Ordinal)
                                ? (n, v)
                                : throw new ArgumentException($"--compare {entry}: env: takes DOTNET_NAME=VALUE;...");
                            settings[name] = value;
                        }
                    }

                    var label = BenchEnvironment.Invariant($"{(entry == BenchEnvironment.Usd1recDll ? "this build" : entry)} run {round}");
                    var (thisRun, thisStore, thisCpu) = await IndexOnceAsync(anvil, fixture, work, build, label, settings);
                    Console.WriteLine(BenchEnvironment.Invariant(
                        $"  {label}: {thisRun.Wall.TotalSeconds:0.00} s = {fixture.Events / thisRun.Wall.TotalSeconds:0} events/s, peak RSS {thisRun.PeakRssBytes / 1048576.0:0} MiB ({thisRun.PeakRssBytes / 1e6:0} MB), CPU {thisRun.CpuTime.TotalSeconds:0.00} s"));
                    if (entry == BenchEnvironment.Usd1recDll)
                    {
                        (run, storePath, anvilCpu) = (thisRun, thisStore, thisCpu);
                    }
                }
            }

            if (pipelineOnly)
            {
                return 0;
            }

            var store = SqliteSupplyStore.Open(storePath, TimeProvider.System);
            var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
            if (run is null)
            {
                throw new InvalidOperationException("no run of this build");
            }

            var pipelineRate = fixture.Events / run.Wall.TotalSeconds;

            // 2. The node's limit: the same blocks, eth_getLogs replies read to the end and dropped.
            var sequential = await FetchRawAsync(anvil.Url, fixture, rawRangeBlocks, 1);
            var parallel = await FetchRawAsync(anvil.Url, fixture, rawRangeBlocks, rawParallelism);
            var nodeRate = Math.Max(sequential.Rate, parallel.Rate);

            // 3. The store's limit: the same rows, committed in the same shape without RPC or decoding.
            // Rows read back from SQLite carry a string each; the indexer's log reader hands out one instance for equal
            // text (block and transaction hash, holder), which the insert relies on to encode each value once. Share
            // them the same way, so the store's limit is measured on rows shaped as the pipeline commits them.
            var shared = new Dictionary<string, string>(StringComparer.Ordinal);
            string Share(string text) => shared.TryGetValue(text, out var one) ? one : shared[text] = text;
            var rows = (await store.GetEventsAsync(supply.NetworkId, CancellationToken.None))
                .Select(e => e.Event with
                {
                    BlockHash = Share(e.Event.BlockHash),
                    TransactionId = Share(e.Event.TransactionId),
                    Holder = Share(e.Event.Holder),
                    Actor = e.Event.Actor is null ? null : Share(e.Event.Actor),
                })
                .ToList();
            var (insertTime, finalizeTime) = await InsertRawAsync(Path.Combine(work, "raw.db"), rows, fixture);
            var storeRate = rows.Count / (insertTime + finalizeTime).TotalSeconds;

            Console.WriteLine();
            Console.WriteLine("EVM backfill");
            Console.WriteLine(BenchEnvironment.Invariant($"  usd1rec index --once     {fixture.Events,9} events in {run.Wall.TotalSeconds,6:0.00} s = {pipelineRate,9:0} events/s (process start to exit), peak RSS {run.PeakRssBytes / 1048576.0:0} MB"));
            // Node and indexer share the machine's cores: what each spent per event is what bounds the ratio to the node's parallel rate.
            Console.WriteLine(BenchEnvironment.Invariant($"    CPU during it: usd1rec {run.CpuTime.TotalSeconds:0.00} s ({run.CpuTime.TotalMicroseconds / fixture.Events:0.0} us/event), anvil {anvilCpu.TotalSeconds:0.00} s ({anvilCpu.TotalMicroseconds / fixture.Events:0.0} us/event), {Environment.ProcessorCount} cores"));
            Console.WriteLine(BenchEnvironment.Invariant($"  node: eth_getLogs x1     {sequential.Logs,9} logs   in {sequential.Time.TotalSeconds,6:0.00} s = {sequential.Rate,9:0} logs/s ({sequential.Requests} requests of {rawRangeBlocks} blocks, {sequential.Bytes / 1e6:0} MB)"));
            Console.WriteLine(BenchEnvironment.Invariant($"  node: eth_getLogs x{rawParallelism}     {parallel.Logs,9} logs   in {parallel.Time.TotalSeconds,6:0.00} s = {parallel.Rate,9:0} logs/s"));
            Console.WriteLine(BenchEnvironment.Invariant($"  store: commit + finalize {rows.Count,9} rows   in {(insertTime + finalizeTime).TotalSeconds,6:0.00} s = {storeRate,9:0} rows/s (commit {insertTime.TotalSeconds:0.00} s, finalize {finalizeTime.TotalSeconds:0.00} s)"));
            Console.WriteLine(BenchEnvironment.Invariant($"  ratios: pipeline / node = {pipelineRate / nodeRate:P0} (best of x1 and x{rawParallelism}), pipeline / node x1 = {pipelineRate / sequential.Rate:P0}, pipeline / store = {pipelineRate / storeRate:P0}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>`usd1rec index --once` of <paramref name="dll"/> into a fresh store; checks the store holds exactly the fixture's events and supply.</summary>
    private static async Task<(ChildRun Run, string StorePath, TimeSpan AnvilCpu)> IndexOnceAsync(
        AnvilProcess anvil, EvmFixture fixture, string work, string dll, string label, IReadOnlyDictionary<string, string>? environment)
    {
        var name = Guid.NewGuid().ToString("N");
        var storePath = Path.Combine(work, $"index-{name}.db");
        var config = Path.Combine(work, $"usd1rec-{name}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Storage = new { Path = storePath },
            Logging = new { Level = "Warning" },
            Networks = new[] { new { Name = "bench", Kind = "Evm", ChainId = fixture.ChainId, RpcUrls = new[] { anvil.Url.ToString() }, Token = fixture.Token, StartBlock = fixture.FirstBlock } },
        }));
        var anvilBefore = anvil.CpuUsed ?? TimeSpan.Zero;
        var run = await ChildRun.RunAsync("dotnet", [dll, "index", "--config", config, "--once"], environment);
        var anvilCpu = (anvil.CpuUsed ?? TimeSpan.Zero) - anvilBefore;
        if (run.ExitCode != 0)
        {
            Console.Error.WriteLine(run.StandardError);
            throw new InvalidOperationException($"{label}: usd1rec index exited with {run.ExitCode}");
        }

        var store = SqliteSupplyStore.Open(storePath, TimeProvider.System);
        var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        var stored = supply.FinalMints + supply.FinalBurns;
        if (stored != fixture.Events || supply.IndexedSupply.ToString(CultureInfo.InvariantCulture) != fixture.Supply)
        {
            throw new InvalidOperationException($"{label}: the store holds {stored} final events and supply {supply.IndexedSupply}, the fixture {fixture.Events} and {fixture.Supply}");
        }

        return (run, storePath, anvilCpu);
    }

    private static async Task<(long Logs, long Bytes, int Requests, TimeSpan Time, double Rate)> FetchRawAsync(Uri url, EvmFixture fixture, int rangeBlocks, int parallelism)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var ranges = new List<(long From, long To)>();
        for (var from = fixture.FirstBlock; from <= fixture.Head; from += rangeBlocks)
        {
            ranges.Add((from, Math.Min(fixture.Head, from + rangeBlocks - 1)));
        }

        long logs = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ranges, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (range, ct) =>
        {
            // The indexer's own filter: the token's address and its four supply topics.
            var body = JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "eth_getLogs",
                @params = new object[] { new { address = fixture.Token, fromBlock = EvmHex.Quantity(range.From), toBlock = EvmHex.Quantity(range.To), topics = new object[] { EventTopics.All } } },
            });
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var reply = await http.PostAsync(url, content, ct);
            reply.EnsureSuccessStatusCode();
            await using var stream = await reply.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[1 << 16];
            long read = 0, count = 0;
            var carry = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(carry), ct)) > 0)
            {
                read += n;
                var filled = carry + n;
                // Count logs without parsing: each log object carries exactly one "logIndex" key. The last few bytes
                // move to the front so a key split across two reads is still counted once.
                count += CountOccurrences(buffer.AsSpan(0, filled), LogIndexKey);
                carry = Math.Min(LogIndexKey.Length - 1, filled);
                buffer.AsSpan(filled - carry, carry).CopyTo(buffer);
            }

            Interlocked.Add(ref logs, count);
            Interlocked.Add(ref bytes, read);
        });
        clock.Stop();
        return (logs, bytes, ranges.Count, clock.Elapsed, logs / clock.Elapsed.TotalSeconds);
    }

    private static ReadOnlySpan<byte> LogIndexKey => "\"logIndex\""u8;

    private static int CountOccurrences(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        int at;
        while ((at = haystack.IndexOf(needle)) >= 0)
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }

    private static async Task<(TimeSpan Insert, TimeSpan Finalize)> InsertRawAsync(string path, List<SupplyEvent> rows, EvmFixture fixture)
    {
        var store = SqliteSupplyStore.Open(path, TimeProvider.System);
        var network = await store.RegisterNetworkAsync(new NetworkRegistration("raw", NetworkKind.Evm, fixture.ChainId, fixture.Token), CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        // One transaction per block's worth of rows, as the indexer's ranges hold about one fixture transaction each.
        foreach (var batch in rows.GroupBy(r => r.BlockNumber))
        {
            var events = batch.ToList();
            var tip = new ChainTip(batch.Key, events[0].BlockHash);
            // Final on commit, as the indexer commits ranges below the chain's final block.
            await store.CommitBatchAsync(
                new IndexedBatch(network, events, [new BlockHeader(batch.Key, events[0].BlockHash, "0x", now)], tip, now) { FinalThrough = batch.Key }, CancellationToken.None);
        }

        var insert = clock.Elapsed;
        clock.Restart();
        await store.FinalizeAsync(network, fixture.Head, now, CancellationToken.None);
        return (insert, clock.Elapsed);
    }
}
