using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Usd1Reconciler.Bench;

/// <summary>
/// `steady-memory`: `usd1rec run` (Release, child process) following three networks at once — two anvils (chain ids
/// 31337 and 31338, a block a second) with the USD1 token and the LiteSVM Solana devnet (a slot every 400 ms) with an
/// SPL mint — while each network gets a mint or a burn every 1.5 s, one at a time per network. A file reserve feed is
/// rewritten every 10 s, reconciliation runs every 10 s, /metrics and the status page are fetched every 15 s. The
/// child's VmRSS is sampled from /proc every second; after a 30 s warm-up, the median and maximum over the next
/// --minutes are the steady figures the target "≤ 150 MB steady while following three networks" is judged by (the
/// maximum decides). DOTNET_ variables for the child (`--env DOTNET_GCConserveMemory=5`, repeatable) try GC settings
/// without rebuilding it.
/// </summary>
internal static class SteadyMemoryBenchmark
{
    /// <summary>anvil dev account #0: deploys the token (holding every role), mints to itself and burns from itself.</summary>
    private const string Issuer = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    /// <summary>Megabytes as the other verbs print them (2^20 bytes).</summary>
    private const double Megabyte = 1048576.0;

    private const double TargetMegabytes = 150;

    /// <summary>Largest single mint the anomaly rules allow: the traffic stays below it, so the steady state pages nothing.</summary>
    private const string MaxMint = "2000000000000";

    private const string SolanaName = "solana-local";

    /// <summary>
    /// A long-lived node process that sends mints and burns through driver.mjs's library functions, one per stdin line
    /// ("mint &lt;base units&gt;" / "burn &lt;base units&gt;"), answering one JSON line each. Starting driver.mjs's CLI per transaction
    /// costs ~0.35 s of CPU on this machine (loading @solana/kit), a quarter of a core at this rate. A fresh blockhash
    /// per transaction: the driver reuses one 50 times, which at 1.5 s apart outlives its 150 slots of 400 ms.
    /// Its inputs come as environment variables: with `-e`, argv[1] would be driver.mjs's path, and driver.mjs runs its
    /// CLI when argv[1] names it.
    /// </summary>
    private const string SolanaSender = """
        import fs from 'node:fs';
        import readline from 'node:readline';
        import { pathToFileURL } from 'node:url';
        const driver = await import(pathToFileURL(process.env.BENCH_SOLANA_DRIVER).href);
        const ctx = driver.connect(process.env.BENCH_SOLANA_RPC);
        const state = JSON.parse(fs.readFileSync(process.env.BENCH_SOLANA_STATE, 'utf8'));
        for await (const line of readline.createInterface({ input: process.stdin })) {
          const [verb, amount] = line.split(' ');
          ctx.blockhash = null;
          try {
            const signature = await (verb === 'mint' ? driver.mintTo : driver.burn)(ctx, state, BigInt(amount));
            console.log(JSON.stringify({ signature }));
          } catch (e) {
            console.log(JSON.stringify({ error: String(e?.message ?? e) }));
          }
        }
        """;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TrafficPeriod = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan FeedPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScrapePeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>1,000 tokens of 6 decimals per mint, 400 per burn: two mints then a burn, so supply only grows.</summary>
    private static readonly BigInteger MintAmount = 1_000_000_000;

    private static readonly BigInteger BurnAmount = 400_000_000;

    public static async Task<int> RunAsync(double minutes, IReadOnlyList<string> options, bool rebuild)
    {
        var childEnvironment = ParseEnvironment(options);
        var steady = TimeSpan.FromMinutes(minutes);
        if (steady <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "--minutes must be positive");
        }

        BenchEnvironment.EnsureReleaseBuild(rebuild);
        using var stop = new CancellationTokenSource();
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stop.Cancel();
        }

        Console.CancelKeyPress += OnCancelKey;
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var work = Directory.CreateTempSubdirectory("usd1rec-bench-steady").FullName;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var anvils = new List<AnvilProcess>();
        SolanaNetwork? solana = null;
        ChildProcess? daemon = null;
        try
        {
            var ct = stop.Token;
            using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(BenchEnvironment.Repo, "contracts/artifacts/Usd1Token.json"), ct));
            var evm = new List<EvmNetwork>();
            foreach (var chainId in new long[] { 31337, 31338 })
            {
                var anvil = await AnvilProcess.StartAsync(null, ["--chain-id", chainId.ToString(CultureInfo.InvariantCulture), "--block-time", "1"]);
                anvils.Add(anvil);
                evm.Add(new EvmNetwork($"anvil-{chainId}", chainId, anvil, http, artifact.RootElement));
            }

            solana = await SolanaNetwork.StartAsync(work, ct);
            await Task.WhenAll(evm.Select(n => n.DeployAsync(ct)));
            foreach (var n in evm)
            {
                Console.WriteLine(BenchEnvironment.Invariant($"{n.Name}: anvil pid {n.Anvil.Pid} at {n.Anvil.Url}, a block a second; USD1 token {n.Token}"));
            }

            Console.WriteLine(BenchEnvironment.Invariant($"{SolanaName}: devnet pid {solana.ServerPid} at {solana.Url}, a slot every 400 ms, finality lag 32; SPL mint {solana.Mint}"));

            var feed = Path.Combine(work, "reserves.json");
            await WriteReservesAsync(feed, ct);
            var port = BenchEnvironment.FreePort();
            var config = Path.Combine(work, "usd1rec.json");
            await File.WriteAllTextAsync(config, Config(evm, solana, port), ct);
            var storePath = Path.Combine(work, "store.db");
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");

            daemon = ChildProcess.Start("dotnet", [BenchEnvironment.Usd1recDll, "run", "--config", config], work, childEnvironment);
            var clock = Stopwatch.StartNew();
            Console.WriteLine(BenchEnvironment.Invariant($"usd1rec run: pid {daemon.Pid}, config {config}, status page {baseUrl}; child environment: {(childEnvironment.Count == 0 ? "(none)" : string.Join(' ', childEnvironment.Select(p => $"{p.Key}={p.Value}")))}"));
            Console.WriteLine(BenchEnvironment.Invariant($"warm-up {WarmUp.TotalSeconds:0} s, then {steady.TotalMinutes:0.##} min steady; traffic on every network from now"));

            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var background = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var trafficStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sampler = new RssSampler(daemon, clock);
            var samplingTask = sampler.RunAsync(sampling.Token);
            var traffic = evm.Select(n => new TrafficLoop(n.Name, n.StepAsync))
                .Append(new TrafficLoop(SolanaName, solana.StepAsync)).ToList();
            var trafficTasks = traffic.Select(t => t.RunAsync(trafficStop.Token)).ToList();
            var scraper = new Scraper(http, baseUrl, clock);
            var backgroundTasks = new[]
            {
                scraper.RunAsync(background.Token),
                RewriteReservesAsync(feed, background.Token),
            };

            var end = WarmUp + steady;
            for (var tick = 1; ; tick++)
            {
                var at = Min(ProgressPeriod * tick, end);
                while (clock.Elapsed < at)
                {
                    await Task.Delay(at - clock.Elapsed + TimeSpan.FromMilliseconds(1), TimeProvider.System, ct);
                }

                daemon.ThrowIfExited();
                var latest = sampler.Latest;
                Console.WriteLine(BenchEnvironment.Invariant(
                    $"  t={clock.Elapsed.TotalSeconds,4:0} s  RSS {latest.Rss / Megabyte,5:0.0} MB  HWM {latest.Hwm / Megabyte,5:0.0} MB  sent {string.Join(", ", traffic.Select(t => $"{t.Name} {t.Sent}"))}{(traffic.Sum(t => t.Failed) > 0 ? $"  failed {traffic.Sum(t => t.Failed)}" : string.Empty)}"));
                if (at >= end)
                {
                    break;
                }
            }

            var trafficEnd = clock.Elapsed;
            await trafficStop.CancelAsync();
            await Task.WhenAll(trafficTasks);

            // Every transaction sent has been answered; give the daemon its poll interval to store the last ones.
            var settle = Stopwatch.StartNew();
            List<(string Name, long Events, long Final)> stored = [];
            while (settle.Elapsed < SettleTimeout)
            {
                stored = StoredEvents(storePath);
                if (traffic.All(t => stored.Any(s => s.Name == t.Name && s.Events >= t.Sent)))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, ct);
            }

            daemon.ThrowIfExited();
            var final = BenchEnvironment.ProcStatus(daemon.Pid) ?? throw new InvalidOperationException("usd1rec exited before the end");
            await sampling.CancelAsync();
            await background.CancelAsync();
            await samplingTask;
            await Task.WhenAll(backgroundTasks);
            var (reports, verdict, snapshots) = Reconciliations(storePath);

            var steadySamples = sampler.Samples.Where(s => s.At >= WarmUp && s.At <= trafficEnd).ToList();
            if (steadySamples.Count == 0)
            {
                throw new InvalidOperationException("no RSS sample in the steady part");
            }

            var rss = steadySamples.Select(s => s.Rss / Megabyte).ToList();
            var window = Min(TimeSpan.FromMinutes(1), (trafficEnd - WarmUp) / 2);
            var first = steadySamples.Where(s => s.At < WarmUp + window).Select(s => s.Rss / Megabyte).ToList();
            var last = steadySamples.Where(s => s.At > trafficEnd - window).Select(s => s.Rss / Megabyte).ToList();
            var max = rss.Max();
            var met = max <= TargetMegabytes;

            static void Row(string label, FormattableString value) => Console.WriteLine(BenchEnvironment.Invariant($"  {label,-34}{BenchEnvironment.Invariant(value)}"));
            string Mb(string field) => (final.GetValueOrDefault(field) / Megabyte).ToString("0.0", CultureInfo.InvariantCulture);
            Console.WriteLine();
            Console.WriteLine(BenchEnvironment.Invariant($"Steady memory: usd1rec run following 3 networks, a mint or burn on each every {TrafficPeriod.TotalSeconds:0.0} s, one at a time per network"));
            Row("child environment", $"{(childEnvironment.Count == 0 ? "(none: runtime defaults)" : string.Join(' ', childEnvironment.Select(p => $"{p.Key}={p.Value}")))}");
            Row(BenchEnvironment.Invariant($"RSS after warm-up (t={steadySamples[0].At.TotalSeconds:0} s)"), $"{steadySamples[0].Rss / Megabyte:0.0} MB");
            Row(BenchEnvironment.Invariant($"RSS steady (t={WarmUp.TotalSeconds:0}-{trafficEnd.TotalSeconds:0} s)"), $"median {BenchEnvironment.Median(rss):0.0} MB, max {max:0.0} MB ({rss.Count} samples, one a second)");
            Row(BenchEnvironment.Invariant($"RSS median, first/last {window.TotalSeconds:0} s"), $"{BenchEnvironment.Median(first):0.0} MB -> {BenchEnvironment.Median(last):0.0} MB");
            Row("VmHWM at the end", $"{Mb("VmHWM")} MB (peak since start, warm-up included)");
            Row("VmRSS at the end", $"{Mb("VmRSS")} MB = RssAnon {Mb("RssAnon")} + RssFile {Mb("RssFile")} + RssShmem {Mb("RssShmem")} MB");
            foreach (var t in traffic)
            {
                var s = stored.FirstOrDefault(x => x.Name == t.Name);
                Row(BenchEnvironment.Invariant($"events stored, {t.Name}"), $"{s.Events} ({s.Final} final) of {t.Sent} sent{(t.Failed > 0 ? $"; {t.Failed} sends failed, last: {t.LastError}" : string.Empty)}");
            }

            Row("reconciliations stored", $"{reports} (last verdict {verdict ?? "none"}); reserve snapshots {snapshots}");
            Row("/metrics and status page", $"{scraper.Ok} fetches ok, {scraper.Failed} failed; /readyz ok {(scraper.ReadyAt is { } ready ? BenchEnvironment.Invariant($"{ready.TotalSeconds:0.0} s") : "never")} after start");
            Row(BenchEnvironment.Invariant($"target <= {TargetMegabytes:0} MB steady"), $"{(met ? "met" : "missed")} (max RSS over the steady part: {max:0.0} MB)");
            var complete = traffic.All(t => stored.Any(s => s.Name == t.Name && s.Events == t.Sent));
            if (!complete)
            {
                Console.WriteLine("  the store does not hold exactly the events sent: the figures are not of a daemon keeping up");
            }

            return complete ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("interrupted");
            return 130;
        }
        finally
        {
            // Ends the traffic, sampling and scraping loops too when an error, not the clock, ended the run.
            await stop.CancelAsync();
            var stopped = new List<string>();
            if (daemon is not null)
            {
                stopped.Add(BenchEnvironment.Invariant($"usd1rec {daemon.Pid}"));
                await daemon.DisposeAsync();
            }

            if (solana is not null)
            {
                stopped.Add(BenchEnvironment.Invariant($"solana devnet {solana.ServerPid}, sender {solana.SenderPid}"));
                await solana.DisposeAsync();
            }

            foreach (var anvil in anvils)
            {
                stopped.Add(BenchEnvironment.Invariant($"anvil {anvil.Pid}"));
                await anvil.DisposeAsync();
            }

            Console.WriteLine($"stopped: {(stopped.Count == 0 ? "nothing started" : string.Join(", ", stopped))}");
            Console.CancelKeyPress -= OnCancelKey;
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every `--env NAME=VALUE`; only DOTNET_ runtime settings, the point being to try them without a rebuild.</summary>
    private static Dictionary<string, string> ParseEnvironment(IReadOnlyList<string> options)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i] != "--env")
            {
                continue;
            }

            var pair = i + 1 < options.Count ? options[i + 1].Split('=', 2) : [];
            if (pair.Length != 2 || !pair[0].StartsWith("DOTNET_", StringComparison.Ordinal))
            {
                throw new ArgumentException("--env takes DOTNET_NAME=VALUE (a .NET runtime setting for the usd1rec child)");
            }

            environment[pair[0]] = pair[1];
        }

        return environment;
    }

    private static string Config(IReadOnlyList<EvmNetwork> evm, SolanaNetwork solana, int port)
    {
        var networks = evm.Select(n => (object)new
        {
            n.Name,
            Kind = "Evm",
            n.ChainId,
            RpcUrls = new[] { n.Anvil.Url.ToString() },
            n.Token,
            Anomalies = new { MaxMint, AllowedMinters = new[] { Issuer } },
        }).Append(new
        {
            Name = SolanaName,
            Kind = "Solana",
            RpcUrls = new[] { solana.Url.ToString() },
            solana.Mint,
            Commitment = "confirmed",
            Anomalies = new { MaxMint, AllowedMinters = new[] { solana.MintAuthority } },
        });

        // Defaults wherever a production config would leave them: 2 s poll intervals, EVM finality from the node's
        // `finalized` tag, alerting every 2 s (no Alertmanager: anomalies are stored). Reconciliation every 10 s
        // rather than every minute, so a short run holds several.
        return JsonSerializer.Serialize(new
        {
            Storage = new { Path = "store.db" },
            Http = new { Listen = BenchEnvironment.Invariant($"127.0.0.1:{port}") },
            Logging = new { Level = "Warning" },
            Networks = networks.ToArray(),
            Reserves = new { Feeds = new[] { new { Name = "bench-custodian", Kind = "File", Path = "reserves.json", PollInterval = "00:00:05", StaleAfter = "01:00:00" } } },
            Reconciliation = new { Schedule = "0/10 * * ? * *" },
        });
    }

    /// <summary>A custodian statement of 1 billion USD in cash, with a fresh as-of time, swapped in by rename.</summary>
    private static async Task WriteReservesAsync(string path, CancellationToken cancellationToken)
    {
        var asOf = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(path + ".tmp", $$"""
            {"custodian":"Bench Trust","asOf":"{{asOf}}","attestation":"steady-memory bench","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"1000000000.00","bank":"Bench Bank","daysToLiquidity":0}]}
            """, cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static async Task RewriteReservesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(FeedPeriod, TimeProvider.System, cancellationToken);
                await WriteReservesAsync(path, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static List<(string Name, long Events, long Final)> StoredEvents(string storePath) =>
        Query(storePath, """
            SELECT n.name, COUNT(e.network_id), COALESCE(SUM(e.is_final), 0)
            FROM networks n LEFT JOIN supply_events e ON e.network_id = n.id
            GROUP BY n.id, n.name ORDER BY n.id
            """, r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)));

    private static (long Reports, string? LastVerdict, long Snapshots) Reconciliations(string storePath) =>
        Query(storePath, """
            SELECT (SELECT COUNT(*) FROM reconciliation_reports),
                   (SELECT verdict FROM reconciliation_reports ORDER BY id DESC LIMIT 1),
                   (SELECT COUNT(*) FROM reserve_snapshots)
            """, r => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2))).Single();

    /// <summary>A read-only query of the daemon's store (WAL: readers never block its writer); empty until it is migrated.</summary>
    private static List<T> Query<T>(string path, string sql, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        if (!File.Exists(path))
        {
            return rows;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }
        }
        catch (SqliteException)
        {
            rows.Clear(); // not migrated yet
        }

        return rows;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task<JsonElement> RpcAsync(HttpClient http, Uri url, string method, object[] parameters, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reply = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return reply.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null
            ? throw new InvalidOperationException($"{method}: {error.GetRawText()}")
            : reply.RootElement.GetProperty("result").Clone();
    }

    /// <summary>One VmRSS/VmHWM reading of the daemon, in bytes, at a time since it was started.</summary>
    private sealed record RssSample(TimeSpan At, long Rss, long Hwm);

    /// <summary>Reads /proc/&lt;pid&gt;/status every second until stopped or the process is gone.</summary>
    private sealed class RssSampler(ChildProcess daemon, Stopwatch clock)
    {
        private readonly List<RssSample> _samples = [];

        public IReadOnlyList<RssSample> Samples => _samples;

        public RssSample Latest { get; private set; } = new(TimeSpan.Zero, 0, 0);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), TimeProvider.System);
            try
            {
                do
                {
                    if (BenchEnvironment.ProcStatus(daemon.Pid) is not { } status || daemon.HasExited)
                    {
                        return;
                    }

                    Latest = new RssSample(clock.Elapsed, status.GetValueOrDefault("VmRSS"), status.GetValueOrDefault("VmHWM"));
                    _samples.Add(Latest);
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>What Prometheus and an operator's browser do: /metrics and the status page every 15 s; also when /readyz first said yes.</summary>
    private sealed class Scraper(HttpClient http, Uri baseUrl, Stopwatch clock)
    {
        public int Ok { get; private set; }

        public int Failed { get; private set; }

        public TimeSpan? ReadyAt { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (ReadyAt is null)
                {
                    try
                    {
                        using var ready = await http.GetAsync(new Uri(baseUrl, "readyz"), cancellationToken);
                        if (ready.IsSuccessStatusCode)
                        {
                            ReadyAt = clock.Elapsed;
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Kestrel not listening yet.
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, cancellationToken);
                }

                while (true)
                {
                    foreach (var path in new[] { "metrics", string.Empty })
                    {
                        try
                        {
                            using var reply = await http.GetAsync(new Uri(baseUrl, path), cancellationToken);
                            await reply.Content.CopyToAsync(Stream.Null, cancellationToken);
                            _ = reply.IsSuccessStatusCode ? Ok++ : Failed++;
                        }
                        catch (HttpRequestException)
                        {
                            Failed++;
                        }
                    }

                    await Task.Delay(ScrapePeriod, TimeProvider.System, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>One network's sends: a step every <see cref="TrafficPeriod"/> (or right after a slower one), never two at once.</summary>
    private sealed class TrafficLoop(string name, Func<int, CancellationToken, Task> step)
    {
        public string Name => name;

        public int Sent { get; private set; }

        public int Failed { get; private set; }

        public string? LastError { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                for (var i = 0; ; i++)
                {
                    try
                    {
                        await step(i, cancellationToken);
                        Sent++;
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or JsonException or IOException)
                    {
                        Failed++;
                        LastError = ex.Message.Split('\n')[0];
                    }

                    var wait = (TrafficPeriod * (i + 1)) - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, TimeProvider.System, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>An anvil with the USD1 token; transactions from the unlocked issuer, each waiting for its receipt.</summary>
    private sealed class EvmNetwork(string name, long chainId, AnvilProcess anvil, HttpClient http, JsonElement artifact)
    {
        private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(30);

        private readonly string _bytecode = artifact.GetProperty("bytecode").GetString()!;
        private readonly string _mint = artifact.GetProperty("methodIdentifiers").GetProperty("mint(address,uint256)").GetString()!;
        private readonly string _burn = artifact.GetProperty("methodIdentifiers").GetProperty("burn(uint256)").GetString()!;

        public string Name => name;

        public long ChainId => chainId;

        public AnvilProcess Anvil => anvil;

        public string Token { get; private set; } = string.Empty;

        /// <summary>
        /// Deploys the token, then mines 70 empty blocks: anvil's `finalized` tag is head − 64, so the deployment is
        /// final from the start, as a live token's is — otherwise the first minute has no final block holding the token.
        /// </summary>
        public async Task DeployAsync(CancellationToken cancellationToken)
        {
            var receipt = await SendAsync(null, _bytecode + Word(Issuer), cancellationToken);
            Token = receipt.GetProperty("contractAddress").GetString()!.ToLowerInvariant();
            await RpcAsync(http, anvil.Url, "anvil_mine", ["0x46"], cancellationToken);
        }

        public async Task StepAsync(int step, CancellationToken cancellationToken) =>
            await SendAsync(Token, step % 3 == 2 ? "0x" + _burn + Word(BurnAmount) : "0x" + _mint + Word(Issuer) + Word(MintAmount), cancellationToken);

        private async Task<JsonElement> SendAsync(string? to, string data, CancellationToken cancellationToken)
        {
            var tx = new Dictionary<string, string> { ["from"] = Issuer, ["data"] = data, ["gas"] = "0x1c9c380" };
            if (to is not null)
            {
                tx["to"] = to;
            }

            // eth_sendTransaction returns once the transaction is pooled; the receipt comes with the next block.
            var hash = (await RpcAsync(http, anvil.Url, "eth_sendTransaction", [tx], cancellationToken)).GetString()!;
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < ReceiptTimeout)
            {
                var receipt = await RpcAsync(http, anvil.Url, "eth_getTransactionReceipt", [hash], cancellationToken);
                if (receipt.ValueKind == JsonValueKind.Object)
                {
                    return receipt.GetProperty("status").GetString() == "0x1" ? receipt : throw new InvalidOperationException($"{name}: transaction {hash} reverted");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
            }

            throw new TimeoutException($"{name}: transaction {hash} was not mined within {ReceiptTimeout}");
        }

        private static string Word(string address) => address[2..].PadLeft(64, '0');

        private static string Word(BigInteger value) => value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');
    }

    /// <summary>The LiteSVM devnet server and its SPL mint (driver.mjs setup), with the long-lived sender of <see cref="SolanaSender"/>.</summary>
    private sealed class SolanaNetwork : IAsyncDisposable
    {
        private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

        private readonly Process _server;
        private Process? _sender;

        private SolanaNetwork(Process server, Uri url)
        {
            _server = server;
            Url = url;
        }

        public Uri Url { get; }

        public int ServerPid => _server.Id;

        public int? SenderPid => _sender?.Id;

        public string Mint { get; private set; } = string.Empty;

        public string MintAuthority { get; private set; } = string.Empty;

        public static async Task<SolanaNetwork> StartAsync(string work, CancellationToken cancellationToken)
        {
            var server = Start("node", ["tools/devnet/solana/server.mjs", "--port", "0", "--finality-lag", "32", "--slot-interval-ms", "400"]);
            SolanaNetwork? network = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var line = await server.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the Solana devnet printed nothing");
                using (var ready = JsonDocument.Parse(line))
                {
                    network = new SolanaNetwork(server, new Uri(ready.RootElement.GetProperty("rpcUrl").GetString()!));
                }

                var state = Path.Combine(work, "solana-driver.json");
                using (var setupRun = Start("node", ["tools/devnet/solana/driver.mjs", "--rpc", network.Url.ToString().TrimEnd('/'), "setup", "--program", "token", "--state", state]))
                {
                    // The state it prints (throwaway devnet keypairs) is read from the file instead.
                    await setupRun.StandardOutput.ReadToEndAsync(cancellationToken);
                    await setupRun.WaitForExitAsync(cancellationToken);
                    if (setupRun.ExitCode != 0)
                    {
                        throw new InvalidOperationException($"driver.mjs setup exited with {setupRun.ExitCode}");
                    }
                }

                using (var setup = JsonDocument.Parse(await File.ReadAllTextAsync(state, cancellationToken)))
                {
                    network.Mint = setup.RootElement.GetProperty("mint").GetString()!;
                    network.MintAuthority = setup.RootElement.GetProperty("mintAuthority").GetProperty("address").GetString()!;
                }

                network._sender = Start("node", ["--input-type=module", "-e", SolanaSender], new Dictionary<string, string>
                {
                    ["BENCH_SOLANA_DRIVER"] = Path.Combine(BenchEnvironment.Repo, "tools/devnet/solana/driver.mjs"),
                    ["BENCH_SOLANA_RPC"] = network.Url.ToString().TrimEnd('/'),
                    ["BENCH_SOLANA_STATE"] = state,
                });
                return network;
            }
            catch
            {
                if (network is not null)
                {
                    await network.DisposeAsync();
                }
                else
                {
                    await StopAsync(server);
                }

                throw;
            }
        }

        public async Task StepAsync(int step, CancellationToken cancellationToken)
        {
            var sender = _sender ?? throw new InvalidOperationException("the Solana sender is not running");
            var command = step % 3 == 2 ? BenchEnvironment.Invariant($"burn {BurnAmount}") : BenchEnvironment.Invariant($"mint {MintAmount}");
            await sender.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
            await sender.StandardInput.FlushAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReplyTimeout);
            var line = await sender.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"the Solana sender exited ({(sender.HasExited ? sender.ExitCode : -1)})");
            using var reply = JsonDocument.Parse(line);
            if (reply.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"{SolanaName}: {error.GetString()}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_sender is not null)
            {
                await StopAsync(_sender);
            }

            await StopAsync(_server);
        }

        /// <param name="senderEnvironment">Given for the sender only, which also gets a standard input.</param>
        private static Process Start(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? senderEnvironment = null)
        {
            var start = new ProcessStartInfo(file)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardInput = senderEnvironment is not null,
                WorkingDirectory = BenchEnvironment.Repo,
            };
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            foreach (var (name, value) in senderEnvironment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        }

        private static async Task StopAsync(Process process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    /// <summary>The daemon: started with extra environment variables, stderr echoed with a prefix and its tail kept for errors, stopped by PID.</summary>
    private sealed class ChildProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _tail = new();

        private ChildProcess(Process process)
        {
            _process = process;
        }

        public int Pid => _process.Id;

        public bool HasExited => _process.HasExited;

        public static ChildProcess Start(string file, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start"));
            child._process.OutputDataReceived += (_, _) => { };
            child._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    return;
                }

                lock (child._tail)
                {
                    child._tail.Enqueue(line);
                    if (child._tail.Count > 20)
                    {
                        child._tail.Dequeue();
                    }
                }

                Console.Error.WriteLine($"[usd1rec] {line}");
            };
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        public void ThrowIfExited()
        {
            if (_process.HasExited)
            {
                lock (_tail)
                {
                    throw new InvalidOperationException($"usd1rec run exited with {_process.ExitCode}:\n{string.Join('\n', _tail)}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
