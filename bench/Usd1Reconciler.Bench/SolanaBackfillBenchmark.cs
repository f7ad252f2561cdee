using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `solana-backfill`: the LiteSVM devnet (Usd1Reconciler.Devnet's <see cref="SolanaDevnetProcess"/>, no slot timer)
/// with N mint/burn transactions sent by the SPL driver's `bulk` (<see cref="SplDriver"/>), then `usd1rec index --once`
/// (Release, child process) from an empty store, and in the same run the node's limit: the same signatures paged and every transaction fetched with getTransaction in JSON-RPC batches of
/// 100 (the indexer's batch size), replies read and discarded.
/// </summary>
internal static class SolanaBackfillBenchmark
{
    public static async Task<int> RunAsync(int mints, int burns, bool rebuild)
    {
        BenchEnvironment.EnsureReleaseBuild(rebuild);
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-solana").FullName;
        var devnet = await SolanaDevnetProcess.StartAsync(BenchEnvironment.Devnet, finalityLag: 32, slotInterval: TimeSpan.Zero, CancellationToken.None);
        try
        {
            var rpc = devnet.Url.ToString().TrimEnd('/');
            using var driver = new SplDriver(BenchEnvironment.Devnet, devnet.Url, Path.Combine(work, "sol.json"));
            (await driver.RunAsync(["setup", "--program", "token"], CancellationToken.None)).Dispose();
            var mint = JsonDocument.Parse(await File.ReadAllTextAsync(driver.StatePath)).RootElement.GetProperty("mint").GetString()!;
            var clock = Stopwatch.StartNew();
            // No time limit: a large bulk load takes as long as it takes, as before the launcher moved to Devnet.
            (await driver.RunAsync(["bulk", "--mints", mints.ToString(System.Globalization.CultureInfo.InvariantCulture), "--burns", burns.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None, Timeout.InfiniteTimeSpan)).Dispose();
            Console.WriteLine(BenchEnvironment.Invariant($"devnet: {mints} mints + {burns} burns sent in {clock.Elapsed.TotalSeconds:0.0} s"));
            (await driver.RunAsync(["advance", "40"], CancellationToken.None)).Dispose();

            var storePath = Path.Combine(work, "index.db");
            var config = Path.Combine(work, "usd1rec.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                Storage = new { Path = storePath },
                Logging = new { Level = "Warning" },
                Networks = new[] { new { Name = "bench-solana", Kind = "Solana", RpcUrls = new[] { rpc }, Mint = mint, Commitment = "confirmed" } },
            }));
            var run = await ChildRun.RunAsync("dotnet", [BenchEnvironment.Usd1recDll, "index", "--config", config, "--once"]);
            if (run.ExitCode != 0)
            {
                Console.Error.WriteLine(run.StandardError);
                throw new InvalidOperationException($"usd1rec index exited with {run.ExitCode}");
            }

            var store = SqliteSupplyStore.Open(storePath, TimeProvider.System);
            var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
            var stored = supply.FinalMints + supply.FinalBurns;
            var transactions = mints + burns;
            var (signatures, raw) = await FetchRawAsync(rpc, mint);

            Console.WriteLine();
            Console.WriteLine("Solana backfill");
            Console.WriteLine(BenchEnvironment.Invariant($"  usd1rec index --once         {transactions,7} transactions ({stored} final events stored) in {run.Wall.TotalSeconds,6:0.00} s = {transactions / run.Wall.TotalSeconds,7:0} tx/s, peak RSS {run.PeakRssBytes / 1048576.0:0} MB"));
            Console.WriteLine(BenchEnvironment.Invariant($"  node: signatures + getTransaction x100 batches {signatures,7} transactions in {raw.TotalSeconds,6:0.00} s = {signatures / raw.TotalSeconds,7:0} tx/s"));
            Console.WriteLine(BenchEnvironment.Invariant($"  ratio: pipeline / node = {transactions / run.Wall.TotalSeconds / (signatures / raw.TotalSeconds):P0}"));
            return stored == transactions ? 0 : 1;
        }
        finally
        {
            await devnet.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(int Count, TimeSpan Time)> FetchRawAsync(string rpc, string mint)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var clock = Stopwatch.StartNew();
        var signatures = new List<string>();
        string? before = null;
        while (true)
        {
            var options = new Dictionary<string, object> { ["limit"] = 1000, ["commitment"] = "confirmed" };
            if (before is not null)
            {
                options["before"] = before;
            }

            using var reply = await http.PostAsJsonAsync(rpc, new { jsonrpc = "2.0", id = 1, method = "getSignaturesForAddress", @params = new object[] { mint, options } });
            using var page = JsonDocument.Parse(await reply.Content.ReadAsStreamAsync());
            var items = page.RootElement.GetProperty("result").EnumerateArray()
                .Where(s => s.GetProperty("err").ValueKind == JsonValueKind.Null)
                .Select(s => s.GetProperty("signature").GetString()!).ToList();
            signatures.AddRange(items);
            if (page.RootElement.GetProperty("result").GetArrayLength() < 1000)
            {
                break;
            }

            var result = page.RootElement.GetProperty("result");
            before = result[result.GetArrayLength() - 1].GetProperty("signature").GetString();
        }

        foreach (var chunk in signatures.Chunk(100))
        {
            var batch = chunk.Select((s, i) => new
            {
                jsonrpc = "2.0",
                id = i,
                method = "getTransaction",
                @params = new object[] { s, new { encoding = "jsonParsed", commitment = "confirmed", maxSupportedTransactionVersion = 0 } },
            });
            using var reply = await http.PostAsJsonAsync(rpc, batch);
            await reply.Content.CopyToAsync(Stream.Null);
        }

        // Minus the setup transactions (mint and account creation), which the indexer also reads.
        return (signatures.Count, clock.Elapsed);
    }
}
