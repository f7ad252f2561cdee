using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>
/// Invariant 10, one writer (issue 12 item 5): writer verbs beside a running `usd1rec run` are refused at once,
/// naming the holder, and change nothing; read-only verbs work beside it; a dead holder's lease is taken over.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class WriterLeaseCliTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A config whose run schedules fire once at start (index, poll) and never again during the test, so the running daemon itself leaves the store still while the refused verbs are measured.</summary>
    private static async Task<string> WriteConfigAsync(TempDirectory dir, AnvilNode anvil, string token)
    {
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,5,Bank A,0\n");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Http":{"Listen":"127.0.0.1:0"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0,"PollInterval":"01:00:00"}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv","PollInterval":"01:00:00"}]},
             "Reconciliation":{"Schedule":"0 0 0 1 1 ? 2099"},
             "Logging":{"Level":"Warning"}}
            """);
        return config;
    }

    /// <summary>What a writer would change: reports (count and head hash), blocks, events, the cursor.</summary>
    private static async Task<string> SnapshotAsync(string storePath)
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(storePath, TimeProvider.System));
        var (reports, _) = await store.GetChainAsync(CancellationToken.None);
        await using var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM blocks) || '/' || (SELECT IFNULL(MAX(number), -1) FROM blocks) || '/' ||
                   (SELECT COUNT(*) FROM supply_events) || '/' || (SELECT IFNULL(MAX(tip_number), -1) FROM cursors) || '/' ||
                   (SELECT COUNT(*) FROM ledger_proofs) || '/' || (SELECT COUNT(*) FROM reserve_snapshots)
            """;
        var rows = (string)(await command.ExecuteScalarAsync())!;
        return $"reports {reports.Count} head {(reports.Count == 0 ? "-" : reports[^1].Hash)}; blocks/max/events/tip/proofs/snapshots {rows}";
    }

    private static async Task<string?> LeaseHolderAsync(string storePath)
    {
        await using var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT verb || ' ' || pid || ' ' || host FROM writer_lease";
        return (string?)await command.ExecuteScalarAsync();
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task IndexReconcileMigrate_BesideRunningRun_ExitOneNamingHolderAndStoreUnchanged()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        using var dir = new TempDirectory("lease");
        var config = await WriteConfigAsync(dir, anvil, token);
        var storePath = dir.File("store.db");
        var first = await RunAsync("reconcile", "--config", config, "--once");
        Assert.That(first.Exit, Is.EqualTo(ExitCodes.Ok), "one covered report in the chain before the daemon starts: " + first.Err);

        using var stopRun = new CancellationTokenSource();
        using var runOut = new StringWriter();
        using var runErr = new StringWriter();
        var run = CommandLineApp.Build(new CliConsole(runOut, runErr), TimeProvider.System).Parse(["run", "--config", config]).InvokeAsync(null, stopRun.Token);
        var deadline = Stopwatch.StartNew();
        while (await LeaseHolderAsync(storePath) is null && deadline.Elapsed < TimeSpan.FromSeconds(60) && !run.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);
        }

        Assert.That(await LeaseHolderAsync(storePath), Does.StartWith($"run {Environment.ProcessId} "), "run holds the lease: " + runErr);
        // Let run's start-up passes (index, poll) finish; after them its schedules stay quiet for an hour.
        await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        // New chain activity: a writer that were let through would index it and change blocks and events.
        await chain.MintAsync(token, EvmTestChain.Bob, 1_000_000);
        var before = await SnapshotAsync(storePath);

        var index = await RunAsync("index", "--config", config, "--once");
        var reconcile = await RunAsync("reconcile", "--config", config, "--once");
        var migrate = await RunAsync("db", "migrate", "--config", config);
        var after = await SnapshotAsync(storePath);

        var holder = $"is being written by `usd1rec run` (pid {Environment.ProcessId} on {Environment.MachineName}) since ";
        Assert.Multiple(() =>
        {
            Assert.That(index.Exit, Is.EqualTo(ExitCodes.Failure), index.Out);
            Assert.That(index.Err, Does.Contain($"store {storePath} {holder}"));
            Assert.That(reconcile.Exit, Is.EqualTo(ExitCodes.Failure), reconcile.Out);
            Assert.That(reconcile.Err, Does.Contain(holder));
            Assert.That(reconcile.Out, Is.Empty, "a refused reconcile prints no report: it appended none");
            Assert.That(migrate.Exit, Is.EqualTo(ExitCodes.Failure), migrate.Out);
            Assert.That(migrate.Err, Does.Contain(holder));
            Assert.That(after, Is.EqualTo(before), "refused writers change nothing: no report appended, no block or event written");
        });

        var supply = await RunAsync("supply", "--config", config, "--json");
        var verify = await RunAsync("report", "verify", "--config", config);
        var list = await RunAsync("report", "list", "--config", config);
        var check = await RunAsync("db", "check", "--config", config);
        var backup = await RunAsync("db", "backup", dir.File("backup.db"), "--config", config);
        Assert.Multiple(() =>
        {
            Assert.That(supply.Exit, Is.EqualTo(ExitCodes.Ok), "supply is read-only and works beside run: " + supply.Err);
            Assert.That(verify.Exit, Is.EqualTo(ExitCodes.Ok), "report verify is read-only: " + verify.Err);
            Assert.That(list.Exit, Is.EqualTo(ExitCodes.Ok), "report list is read-only: " + list.Err);
            Assert.That(check.Exit, Is.EqualTo(ExitCodes.Ok), "db check is read-only: " + check.Err);
            Assert.That(backup.Exit, Is.EqualTo(ExitCodes.Ok), "db backup is read-only: " + backup.Err);
        });

        await stopRun.CancelAsync();
        Assert.That(await run, Is.EqualTo(ExitCodes.Ok), runErr.ToString());
        Assert.That(await LeaseHolderAsync(storePath), Is.Null, "a clean exit releases the lease");
        var afterRun = await RunAsync("index", "--config", config, "--once");
        SqliteConnection.ClearAllPools();
        Assert.That(afterRun.Exit, Is.EqualTo(ExitCodes.Ok), "with run gone the store is free for the next writer: " + afterRun.Err);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task IndexOnce_LeaseOfDeadProcessAndOfReusedPid_TakenOverAndLogged()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        using var dir = new TempDirectory("lease");
        var config = await WriteConfigAsync(dir, anvil, token);
        var storePath = dir.File("store.db");
        Assert.That((await RunAsync("index", "--config", config, "--once")).Exit, Is.EqualTo(ExitCodes.Ok));

        // A writer that crashed: its pid no longer runs on this host.
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await gone.WaitForExitAsync();
            await PlantLeaseAsync(storePath, gone.Id, processStart: null, Environment.MachineName);
        }

        var afterCrash = await RunAsync("index", "--config", config, "--once");
        Assert.That(afterCrash.Exit, Is.EqualTo(ExitCodes.Ok), afterCrash.Err);
        Assert.That(afterCrash.Err, Does.Contain($"took over the writer lease of store {storePath} from `usd1rec run` (pid ").And.Contain("that process is gone"));
        Assert.That(await LeaseHolderAsync(storePath), Is.Null, "the taker released it on exit");

        // A pid given to another process after the holder died (here: this test's own pid, alive, but started at
        // another time than the one recorded) is not the holder.
        var ownNamespace = $"{(await File.ReadAllTextAsync("/proc/sys/kernel/random/boot_id")).Trim()}:{new FileInfo("/proc/self/ns/pid").LinkTarget}";
        await PlantLeaseAsync(storePath, Environment.ProcessId, processStart: ownNamespace + "/1", Environment.MachineName);
        var afterReuse = await RunAsync("index", "--config", config, "--once");
        SqliteConnection.ClearAllPools();
        Assert.That(afterReuse.Exit, Is.EqualTo(ExitCodes.Ok), afterReuse.Err);
        Assert.That(afterReuse.Err, Does.Contain($"from `usd1rec run` (pid {Environment.ProcessId} on {Environment.MachineName})"));
    }

    private static async Task PlantLeaseAsync(string storePath, long pid, string? processStart, string host)
    {
        await using var connection = new SqliteConnection($"Data Source={storePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO writer_lease (id, token, pid, process_start, host, verb, since, heartbeat)
            VALUES (1, 'crashed', $pid, $start, $host, 'run', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')
            """;
        command.Parameters.AddWithValue("$pid", pid);
        command.Parameters.AddWithValue("$start", (object?)processStart ?? DBNull.Value);
        command.Parameters.AddWithValue("$host", host);
        await command.ExecuteNonQueryAsync();
    }
}
