using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `live-latency`: `usd1rec run` (Release, child process) following anvil at a 500 ms poll interval, pushing anomalies
/// to a real Alertmanager (Debian's prometheus-alertmanager, group_wait 0s) that delivers to a webhook here. N oversized
/// mints of PlainToken, one at a time; for each: receipt → its row in the store (polled every 5 ms, read-only) and
/// receipt → the OversizedMint page at the webhook.
/// </summary>
internal static class LiveLatencyBenchmark
{
    private const string Alertmanager = "/usr/bin/prometheus-alertmanager";
    private const string Deployer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private const string Holder = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    public static async Task<int> RunAsync(int mints, TimeSpan poll, bool rebuild)
    {
        BenchEnvironment.EnsureReleaseBuild(rebuild);
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-live").FullName;
        Process? alertmanager = null, daemon = null;
        using var webhook = new HttpListener();
        var hookPort = BenchEnvironment.FreePort();
        webhook.Prefixes.Add($"http://127.0.0.1:{hookPort}/");
        webhook.Start();
        var pages = new System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        var clock = Stopwatch.StartNew();
        _ = Task.Run(async () =>
        {
            while (webhook.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await webhook.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    using var body = JsonDocument.Parse(await reader.ReadToEndAsync());
                    foreach (var alert in body.RootElement.GetProperty("alerts").EnumerateArray())
                    {
                        var labels = alert.GetProperty("labels");
                        if (alert.GetProperty("status").GetString() == "firing" && labels.TryGetProperty("alertname", out var name) && name.GetString() == "OversizedMint"
                            && labels.TryGetProperty("tx", out var tx))
                        {
                            pages.TryAdd(tx.GetString()!, clock.Elapsed);
                        }
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        try
        {
            await using var anvil = await AnvilProcess.StartAsync(null);
            var rpc = anvil.Url.ToString();
            var bytecode = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(BenchEnvironment.Repo, "contracts/artifacts/PlainToken.json"))).RootElement.GetProperty("bytecode").GetString()!;
            var token = JsonDocument.Parse(Cast(["send", "--rpc-url", rpc, "--unlocked", "--from", Deployer, "--create", bytecode, "--json"])).RootElement.GetProperty("contractAddress").GetString()!;

            var amPort = BenchEnvironment.FreePort();
            await File.WriteAllTextAsync(Path.Combine(work, "alertmanager.yml"), $"""
                route:
                  receiver: webhook
                  group_by: ['...']
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 24h
                receivers:
                  - name: webhook
                    webhook_configs:
                      - url: "http://127.0.0.1:{hookPort}/"
                """);
            alertmanager = Start(Alertmanager, [$"--config.file={Path.Combine(work, "alertmanager.yml")}", $"--storage.path={Path.Combine(work, "am")}",
                $"--web.listen-address=127.0.0.1:{amPort}", "--cluster.listen-address=", "--log.level=warn"]);

            var asOf = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(work, "reserves.json"), $$"""
                {"custodian":"Bank A","asOf":"{{asOf}}","attestation":"bench","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"1000000000","bank":"Bank A","daysToLiquidity":0}]}
                """);
            var pollText = poll.ToString("c", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(Path.Combine(work, "usd1rec.json"), $$"""
                {
                  "Storage": { "Path": "store.db" },
                  "Http": { "Listen": "127.0.0.1:0" },
                  "Logging": { "Level": "Warning" },
                  "Networks": [ { "Name": "anvil", "Kind": "Evm", "ChainId": 31337, "RpcUrls": ["{{rpc}}"], "Token": "{{token}}", "Confirmations": 0,
                                  "PollInterval": "{{pollText}}", "Anomalies": { "MaxMint": "1000000" } } ],
                  "Reserves": { "Feeds": [ { "Name": "bank-a", "Kind": "File", "Path": "reserves.json", "PollInterval": "00:00:05", "StaleAfter": "01:00:00" } ] },
                  "Alerting": { "AlertmanagerUrls": ["http://127.0.0.1:{{amPort}}/"], "Interval": "{{pollText}}", "Cooldown": "00:00:00" }
                }
                """);
            daemon = Start("dotnet", [BenchEnvironment.Usd1recDll, "run", "--config", Path.Combine(work, "usd1rec.json")]);
            var storePath = Path.Combine(work, "store.db");
            await WaitAsync(() => File.Exists(storePath) && Scalar(storePath, "SELECT COUNT(*) FROM cursors") > 0, TimeSpan.FromSeconds(60), "the daemon's first pass");
            await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);

            var toStore = new List<double>();
            var toPage = new List<double>();
            for (var i = 0; i < mints; i++)
            {
                // Spread sends over the poll cycle, so the figures average over where in the cycle a mint lands.
                await Task.Delay(TimeSpan.FromMilliseconds(137 * (i % 7)), TimeProvider.System);
                var receipt = JsonDocument.Parse(Cast(["send", "--rpc-url", rpc, "--unlocked", "--from", Deployer, token, "mint(address,uint256)", Holder, "5000000000", "--json"])).RootElement;
                var mined = clock.Elapsed;
                var tx = receipt.GetProperty("transactionHash").GetString()!;
                await WaitAsync(() => Scalar(storePath, $"SELECT COUNT(*) FROM supply_events WHERE tx_id = '{tx.ToLowerInvariant()}'") > 0, TimeSpan.FromSeconds(30), $"mint {tx} in the store", TimeSpan.FromMilliseconds(5));
                toStore.Add((clock.Elapsed - mined).TotalMilliseconds);
                await WaitAsync(() => pages.ContainsKey(tx), TimeSpan.FromSeconds(30), $"the page for {tx}", TimeSpan.FromMilliseconds(5));
                toPage.Add((pages[tx] - mined).TotalMilliseconds);
            }

            Console.WriteLine();
            Console.WriteLine(BenchEnvironment.Invariant($"Live latency, {mints} mints, poll interval {poll.TotalMilliseconds:0} ms (receipt returned by cast → …)"));
            Console.WriteLine(BenchEnvironment.Invariant($"  → row in the store        median {BenchEnvironment.Median(toStore),6:0} ms, p95 {BenchEnvironment.Percentile(toStore, 0.95),6:0} ms, max {toStore.Max(),6:0} ms"));
            Console.WriteLine(BenchEnvironment.Invariant($"  → Alertmanager webhook    median {BenchEnvironment.Median(toPage),6:0} ms, p95 {BenchEnvironment.Percentile(toPage, 0.95),6:0} ms, max {toPage.Max(),6:0} ms"));
            return 0;
        }
        finally
        {
            foreach (var p in new[] { daemon, alertmanager })
            {
                if (p is { HasExited: false })
                {
                    p.Kill();
                    await p.WaitForExitAsync();
                }

                p?.Dispose();
            }

            webhook.Stop();
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static long Scalar(string path, string sql)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)(command.ExecuteScalar() ?? 0L);
        }
        catch (SqliteException)
        {
            return 0; // not created or migrated yet
        }
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    private static string Cast(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(BenchEnvironment.Cast) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cast did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"cast {string.Join(' ', arguments.Take(3))} exited with {process.ExitCode}");
    }

    private static Process Start(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BenchEnvironment.Repo };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine($"[{Path.GetFileName(file)}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
