using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 14 acceptance: two `usd1rec run` processes on one PostgreSQL 15 and a real anvil under steady mint traffic.
/// At every sample at most one instance writes the network; the active one is SIGKILLed during the backfill and the
/// standby takes over within 10 s (measured and printed); afterwards the store equals the chain, the report chain
/// verifies and no scheduled firing has two reports.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class TwoInstanceFailoverTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static string Usd1recDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(RepoPaths.Root, "src", "Usd1Reconciler", "bin", configuration, "net10.0", "usd1rec.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Usd1Reconciler -c {configuration} first");
        }
    }

    [Test]
    public async Task Run_ActiveInstanceKilledDuringBackfill_StandbyTakesOverWithin10sStoreEqualsChainOneReportPerFiring()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("ha");
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        for (var i = 0; i < 20; i++)
        {
            await chain.MintAsync(token, EvmTestChain.Alice, 1_000 + i);
            await chain.MineAsync(20);
        }

        using var dir = new TempDirectory("ha");
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,1000000,Bank A,0\n");
        var configA = await WriteConfigAsync(dir, "a", connectionString, anvil, token);
        var configB = await WriteConfigAsync(dir, "b", connectionString, anvil, token);

        using var stopTraffic = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stopTraffic.IsCancellationRequested)
            {
                await chain.MintAsync(token, EvmTestChain.Bob, 7);
                await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
            }
        });

        using var a = Start(configA.Path, dir.File("a.log"));
        Assert.That(await WaitUntilAsync(async () => await WriterAsync(configA.Port) == 1, TimeSpan.FromSeconds(90)), Is.True, "a becomes the writer: " + await TailAsync(dir.File("a.log")));
        using var b = Start(configB.Path, dir.File("b.log"));
        Assert.That(await WaitUntilAsync(async () => await WriterAsync(configB.Port) == 0, TimeSpan.FromSeconds(90)), Is.True, "b stands by: " + await TailAsync(dir.File("b.log")));

        // Sample both while a backfills, through the kill and the takeover.
        var bothWriting = 0;
        var samples = 0;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                var wa = await WriterAsync(configA.Port);
                var wb = await WriterAsync(configB.Port);
                samples++;
                if (wa == 1 && wb == 1)
                {
                    bothWriting++;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        var head = await chain.HeadAsync();
        var indexedAtKill = await IndexedTipAsync(connectionString);
        var clock = Stopwatch.StartNew();
        a.Kill(entireProcessTree: true);
        await a.WaitForExitAsync();
        var tookOver = await WaitUntilAsync(async () => await WriterAsync(configB.Port) == 1, TimeSpan.FromSeconds(30));
        var takeover = clock.Elapsed;
        TestContext.Out.WriteLine($"SIGKILL of the writer at indexed block {indexedAtKill} of {head}: the standby took over after {takeover.TotalSeconds:F2} s");

        await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
        await stopTraffic.CancelAsync();
        await traffic;
        var finalHead = await chain.HeadAsync();
        var caughtUp = await WaitUntilAsync(async () => await IndexedTipAsync(connectionString) >= finalHead, TimeSpan.FromSeconds(180));
        await Task.Delay(TimeSpan.FromSeconds(4), TimeProvider.System);
        await stopSampling.CancelAsync();
        await sampler;
        b.Kill(entireProcessTree: true);
        await b.WaitForExitAsync();

        var supply = await CliAsync("supply", "--config", configB.Path, "--json");
        var verify = await CliAsync("report", "verify", "--config", configB.Path);
        var onChain = await chain.TotalSupplyAsync(token);
        var indexed = BigInteger.Parse(JsonDocument.Parse(supply.Out).RootElement.GetProperty("networks")[0].GetProperty("indexedSupply").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var (duplicates, scheduled) = await ScheduledReportsAsync(connectionString);

        Assert.Multiple(() =>
        {
            Assert.That(indexedAtKill, Is.LessThan(head), "a was killed during its backfill");
            Assert.That(tookOver, Is.True, "b took over: " + File.ReadAllText(dir.File("b.log")));
            Assert.That(takeover, Is.LessThan(TimeSpan.FromSeconds(10)), "the standby takes over within 10 s");
            Assert.That(bothWriting, Is.Zero, $"both instances reported writing the network at {bothWriting} of {samples} samples");
            Assert.That(caughtUp, Is.True, "b indexed to the head: " + File.ReadAllText(dir.File("b.log"))[^Math.Min(4000, File.ReadAllText(dir.File("b.log")).Length)..]);
            Assert.That(indexed, Is.EqualTo(onChain), "Σ indexed mints = totalSupply: no event lost or doubled across the takeover");
            Assert.That(verify.Exit, Is.EqualTo(ExitCodes.Ok), verify.Out + verify.Err);
            Assert.That(scheduled, Is.GreaterThan(0), "scheduled reconciliations ran");
            Assert.That(duplicates, Is.Zero, "no scheduled firing has two reports");
        });
    }

    private static async Task<(string Path, int Port)> WriteConfigAsync(TempDirectory dir, string instance, string connectionString, AnvilNode anvil, string token)
    {
        var port = FreePort.Next();
        Directory.CreateDirectory(dir.File(instance));
        var path = dir.File($"{instance}.json");
        await File.WriteAllTextAsync(path, $$$"""
            {"Storage":{"Provider":"Postgres","ConnectionString":{{{JsonSerializer.Serialize(connectionString)}}},"Path":"{{{instance}}}/spool.db"},
             "Instance":{"Id":"{{{instance}}}","WriterLease":"00:00:06"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0,"PollInterval":"00:00:01","MaxBlockRange":4}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv","PollInterval":"00:00:02"}]},
             "Reconciliation":{"Schedule":"*/2 * * ? * *"},
             "Http":{"Listen":"127.0.0.1:{{{port}}}"},
             "Logging":{"Level":"Information"}}
            """);
        return (path, port);
    }

    private static Process Start(string config, string log)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Usd1recDll, "run", "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<string> TailAsync(string log)
    {
        try
        {
            var text = await File.ReadAllTextAsync(log);
            return text.Length > 3000 ? text[^3000..] : text;
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>usd1_network_writer{network="anvil"} of the instance on <paramref name="port"/>; null when it does not answer.</summary>
    private static async Task<int?> WriterAsync(int port)
    {
        try
        {
            var metrics = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            var match = WriterLine().Match(metrics);
            return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<long> IndexedTipAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(tip_number), -1) FROM cursors", connection);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException)
        {
            return -1;
        }
    }

    private static async Task<(long Duplicates, long Scheduled)> ScheduledReportsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Reports of the schedule beyond one per distinct firing (the unique index makes it 0 unless it is missing).
        await using var keyed = new NpgsqlCommand(
            "SELECT COUNT(*) - COUNT(DISTINCT scheduled_for) FROM reconciliation_reports WHERE kind = 'scheduled'", connection);
        await using var scheduled = new NpgsqlCommand("SELECT COUNT(*) FROM reconciliation_reports WHERE kind = 'scheduled' AND scheduled_for IS NOT NULL", connection);
        var sameKey = (long)(await keyed.ExecuteScalarAsync())!;
        return (sameKey, (long)(await scheduled.ExecuteScalarAsync())!);
    }

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync(null, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return false;
    }

    [GeneratedRegex(@"^usd1_network_writer\{network=""anvil""\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex WriterLine();
}
