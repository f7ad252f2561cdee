using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Bench.SteadyMemory;

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
/// This class is the run's order of events; its parts are in SteadyMemory/: the networks and their traffic
/// (<see cref="EvmNetwork"/>, <see cref="SolanaNetwork"/>, <see cref="TrafficLoop"/>), the daemon and what is done to
/// it (<see cref="ChildProcess"/>, <see cref="DaemonConfig"/>, <see cref="ReserveFeedFile"/>, <see cref="Scraper"/>),
/// the measurement (<see cref="RssSampler"/>, <see cref="StoreProbe"/>) and the figures (<see cref="SteadyMemoryReport"/>).
/// </summary>
internal static class SteadyMemoryBenchmark
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(double minutes, IReadOnlyList<string> options, bool rebuild)
    {
        var childEnvironment = BenchEnvironment.ChildEnvironment(options);
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

            Console.WriteLine(BenchEnvironment.Invariant($"{SolanaNetwork.Name}: devnet pid {solana.ServerPid} at {solana.Url}, a slot every 400 ms, finality lag 32; SPL mint {solana.Mint}"));

            var feed = Path.Combine(work, "reserves.json");
            await ReserveFeedFile.WriteReservesAsync(feed, ct);
            var port = BenchEnvironment.FreePort();
            var config = Path.Combine(work, "usd1rec.json");
            await File.WriteAllTextAsync(config, DaemonConfig.Json(evm, solana, port), ct);
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
                .Append(new TrafficLoop(SolanaNetwork.Name, solana.StepAsync)).ToList();
            var trafficTasks = traffic.Select(t => t.RunAsync(trafficStop.Token)).ToList();
            var scraper = new Scraper(http, baseUrl, clock);
            var backgroundTasks = new[]
            {
                scraper.RunAsync(background.Token),
                ReserveFeedFile.RewriteReservesAsync(feed, background.Token),
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
                    $"  t={clock.Elapsed.TotalSeconds,4:0} s  RSS {latest.Rss / SteadyMemoryReport.Megabyte,5:0.0} MB  HWM {latest.Hwm / SteadyMemoryReport.Megabyte,5:0.0} MB  sent {string.Join(", ", traffic.Select(t => $"{t.Name} {t.Sent}"))}{(traffic.Sum(t => t.Failed) > 0 ? $"  failed {traffic.Sum(t => t.Failed)}" : string.Empty)}"));
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
                stored = StoreProbe.StoredEvents(storePath);
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
            var reconciliations = StoreProbe.Reconciliations(storePath);

            return SteadyMemoryReport.Print(
                childEnvironment, sampler.Samples, WarmUp, trafficEnd, final, traffic, stored, reconciliations, scraper);
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
