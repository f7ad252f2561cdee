using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>
/// The real `usd1rec index` binary, run as a child process and SIGKILLed at seeded random moments while it indexes
/// thousands of mints and burns, must leave a store that equals the chain exactly once it is allowed to finish.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Resilience")]
public sealed class CrashSafetyTests
{
    private const ulong Seed = 0x5EED_0007;
    private const int RequiredKills = 20;

    [Test]
    [CancelAfter(240_000)]
    public async Task IndexChildProcess_KilledAtRandomMomentsThenFinishes_StoreEqualsChainExactly()
    {
        var random = new SeededRandom(Seed);
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployPlainAsync();
        var events = 0;
        for (var i = 0; i < 20; i++)
        {
            events += await MintAndBurnManyAsync(chain, token);
        }

        await chain.MineAsync(5);
        await using var proxy = await FaultProxy.StartAsync(node.Url);
        // A few RPC faults on top of the kills: retries and failover must not disturb exactly-once either.
        var faults = new SeededRandom(Seed + 1);
        proxy.Decide = _ => faults.NextDouble() < 0.03 ? FaultKind.ServerError : FaultKind.None;
        using var dir = new TempDirectory("kill");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Storage":{"Path":"store.db"},"Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{node.ChainId}},"RpcUrls":["{{proxy.Url}}"],
             "Token":"{{token}}","StartBlock":0,"Confirmations":3,"MaxBlockRange":2}]}
            """);

        var kills = 0;
        var finishedEarly = 0;
        var stderr = new StringBuilder();
        var moments = new List<int>();
        var typicalRunMs = 1500L;
        for (var attempt = 0; kills < RequiredKills && attempt < 80; attempt++)
        {
            // Keep new work arriving so every run has something to be interrupted in.
            events += await MintAndBurnManyAsync(chain, token);
            // Seeded fraction of how long an uninterrupted run took last, so the kills land inside the work on a fast
            // machine and a slow one alike (the fractions repeat for a seed; the milliseconds follow the machine).
            var moment = 100 + (int)(random.NextDouble() * Math.Max(100, (typicalRunMs * 0.9) - 100));
            var clock = Stopwatch.StartNew();
            var (killed, code) = await RunAsync(config, TimeSpan.FromMilliseconds(moment), stderr);
            Assert.That(killed || code == 0, Is.True, $"a run that was not killed must succeed: {Tail(stderr)}");
            if (killed)
            {
                kills++;
                moments.Add(moment);
            }
            else
            {
                finishedEarly++;
                typicalRunMs = clock.ElapsedMilliseconds;
            }
        }

        var (_, exit) = await RunAsync(config, null, stderr);

        Assert.That(kills, Is.GreaterThanOrEqualTo(RequiredKills), $"the test must really SIGKILL the indexer {RequiredKills} times (finished early {finishedEarly} times)");
        Assert.That(exit, Is.Zero, $"the uninterrupted run must finish: {Tail(stderr)}");
        using var harness = new EvmIndexerHarness(node, token, 3, storePath: dir.File("store.db"));
        await harness.AssertStoreEqualsChainAsync(chain, $"after {kills} SIGKILLs at {string.Join(",", moments)} ms");
        Assert.That((await harness.StoredKeysAsync()).Count, Is.EqualTo(events), "every mint and burn exactly once");
        Assert.That(IntegrityCheck(dir.File("store.db")), Is.EqualTo("ok"), "SQLite's own check after the kills");
        Assert.That(stderr.ToString(), Does.Not.Contain("SECRET"), "the RPC URL's path and query (an API key) never reach the logs");
        Assert.That(stderr.ToString(), Does.Not.Contain("Unhandled exception"), "no run may die of an exception");
        ReliabilityLog.Record("crash safety", $"usd1rec index SIGKILLed {kills} times (seed 0x{Seed:x}, moments 100 ms to 90% of a run) over {events} mint/burn events, 3% HTTP 503",
            $"final run exits 0; store = chain exactly ({events} events), PRAGMA integrity_check ok, no secret in {stderr.Length} chars of logs");
    }

    [Test]
    public async Task Index_StorePagesDamaged_ClearErrorAndFileLeftAlone()
    {
        using var dir = new TempDirectory("damaged");
        var path = dir.File("store.db");
        // A real store (schema, migrations) spans several pages.
        _ = Storage.Sqlite.SqliteSupplyStore.Open(path, TimeProvider.System);

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.That(bytes.Length, Is.GreaterThan(8192), "precondition: several pages to damage");
        for (var i = 4096 + 100; i < bytes.Length; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(path, bytes);
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, """{"Storage":{"Path":"store.db"},"Networks":[{"Name":"a","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:1"],"Token":"0x1111111111111111111111111111111111111111"}]}""");

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["index", "--config", config, "--once"]).InvokeAsync();

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error.ToString(), Does.Contain("store").And.Contain("restore it from a backup"), "the operator learns the store is damaged and what to do");
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(bytes), "a damaged store is reported, never rewritten");
        ReliabilityLog.Record("crash safety", "store file with damaged pages (bytes flipped after the first page)",
            $"index exits 1: {error.ToString().Trim().Split('\n')[0]}; file unchanged");
    }

    private static async Task<int> MintAndBurnManyAsync(EvmTestChain chain, string token)
    {
        await chain.SendAsync(EvmTestChain.Deployer, token, Abi.Call("mintMany(address,uint256,uint256)", EvmTestChain.Bob, 5, 150));
        await chain.SendAsync(EvmTestChain.Deployer, token, Abi.Call("burnMany(address,uint256,uint256)", EvmTestChain.Bob, 2, 50));
        return 200;
    }

    /// <summary>Runs `dotnet usd1rec.dll index --once`; with <paramref name="killAfter"/>, SIGKILLs it then if still running.</summary>
    private static async Task<(bool Killed, int Exit)> RunAsync(string config, TimeSpan? killAfter, StringBuilder stderr)
    {
        var start = Usd1recExecutable.StartInfo("index", "--config", config, "--once");

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        var killed = false;
        if (killAfter is { } after)
        {
            using var wait = new CancellationTokenSource(after);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                killed = true;
            }
        }

        await process.WaitForExitAsync();
        stderr.Append(await errors).Append(await output);

        return (killed, process.ExitCode);
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static string Tail(StringBuilder text) => text.Length <= 2000 ? text.ToString() : text.ToString(text.Length - 2000, 2000);
}
