using System.Data.Common;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Usd1Reconciler.Storage.Leasing;
using Microsoft.Extensions.DependencyInjection;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Devnet;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Demo;

/// <summary>
/// `usd1rec-demo` from start to stop: devnets up, token and mint created, history seeded, the daemon started — the
/// same <see cref="DaemonHost"/> as `usd1rec run`, with the embedded SQLite store — then traffic, the reserve feed,
/// incidents and the live summary until Ctrl-C, SIGTERM, `q` or the duration ends; then everything it started stops.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, CliConsole cli, TimeProvider time) : IDisposable
{
    /// <summary>Marks a folder as the demo's own, so recreating it never deletes somebody else's files.</summary>
    private const string Marker = ".usd1rec-demo";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _interrupted = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = options.Duration is { } duration ? new CancellationTokenSource(duration, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token, _interrupted.Token);
        var console = new DemoConsole(cli.Output, isTerminal: ReferenceEquals(cli.Output, Console.Out) && !Console.IsOutputRedirected, time);
        using var group = new DevnetProcessGroup();
        try
        {
            return await RunInsideAsync(console, group, linked, cancellationToken);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            console.Line("demo stopped before the daemon started");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is WriterLeaseHeldException or InvalidOperationException or HttpRequestException or TimeoutException or IOException or ConfigurationException or SocketException)
        {
            cli.Error.WriteLine($"usd1rec-demo: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            group.StopAll();
            console.Line($"stopped every process the demo started: {group.Describe()}");
        }
    }

    private async Task<int> RunInsideAsync(DemoConsole console, DevnetProcessGroup group, CancellationTokenSource linked, CancellationToken interrupted)
    {
        var ct = linked.Token;
        var tools = DevnetToolchain.Locate(Environment.CurrentDirectory);
        if (!tools.IsInstalled)
        {
            await tools.InstallAsync(console.Progress, ct);
        }

        var directory = PrepareDirectory(Path.GetFullPath(options.Directory, Environment.CurrentDirectory));
        console.Progress($"demo folder {directory} (store, config, reserve feed)");

        var solanaStart = SolanaDemoChain.StartAsync(tools, group, directory, TimeSpan.FromMilliseconds(250), finalityLag: 32, ct);
        var evm = await Task.WhenAll(
            EvmDemoChain.StartAsync(tools, group, "anvil-1", 31337, Path.Combine(directory, "anvil-1-cache"), ct),
            EvmDemoChain.StartAsync(tools, group, "anvil-2", 31338, Path.Combine(directory, "anvil-2-cache"), ct));
        using var solana = await solanaStart;
        foreach (var chain in evm)
        {
            console.Progress($"started anvil {chain.Name} (chain id {chain.ChainId}) pid {chain.Process.Id} at {chain.Url}");
        }

        console.Progress($"started solana devnet pid {solana.Process.Id} at {solana.Url}");

        await Task.WhenAll(evm.Select(c => c.DeployAsync(ct)).Cast<Task>().Append(solana.SetupAsync(ct)));
        foreach (var chain in evm)
        {
            console.Progress($"{chain.Name}: USD1 token deployed at {chain.Token} (issuer {EvmDemoChain.Issuer})");
        }

        console.Progress($"{solana.Name}: SPL mint {solana.Mint} created (mint authority {solana.MintAuthority})");
        var traffic = new DemoTraffic(evm, solana, console, time);
        await traffic.SeedAsync(ct);
        foreach (var chain in evm)
        {
            await chain.StartIntervalMiningAsync(1, ct);
        }

        console.Progress($"seeded history for the daemon to backfill: {traffic.Transactions} transactions; anvils now mine a block per second");

        var feed = new DemoReserveFeed(Path.Combine(directory, "reserves.json"), time);
        var incidents = new DemoIncidents(evm[0], feed, console);
        await WriteReservesAsync(feed, evm, solana, incidents, ct);
        var listen = ChooseListen(options.Listen, console);
        var configPath = await DemoConfig.WriteAsync(directory, listen, evm, solana, options.AlertmanagerUrl, ct);
        var config = ConfigLoader.Load(configPath);
        // The demo runs `usd1rec run`'s host, so it is a writer like `run`: lease first (a reused --dir may be in use).
        await using var lease = await new SqliteWriterLease(config.StoragePath, time).AcquireAsync("demo", ct);
        var store = SqliteSupplyStore.Open(config.StoragePath, time);
        using var host = DaemonHost.Build(config, store, time);
        await host.StartAsync(ct);
        // Signal handlers run newest first and the first that cancels the signal ends the chain, so the host's console
        // lifetime (registered by StartAsync) would take Ctrl-C and SIGTERM for itself and stop only the daemon. The
        // demo registers after it and stops everything — traffic, feed, daemon, devnets — in order.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        var statusPage = host.Services.GetRequiredService<ObservabilityServer>().BoundAddress
            ?? throw new InvalidOperationException("the daemon's HTTP endpoints did not start");
        console.Progress($"daemon started (usd1rec run's host, config {configPath}, store {config.StoragePath})");
        console.Line($"status page: {statusPage}");
        console.Line($"metrics:     {new Uri(statusPage, "/metrics")}");
        console.Line(options.Duration is { } d ? $"running for {d}; Ctrl-C stops earlier" : "running until Ctrl-C");

        var summary = new DemoSummary(store, new SqliteReconciliationStore(store), new SqliteAnomalyStore(store), evm, solana, feed, traffic, console, time);
        var loops = new[]
        {
            traffic.RunAsync(ct),
            ReservesLoopAsync(feed, evm, solana, incidents, console, ct),
            IncidentScheduleAsync(incidents, summary, console, ct),
            KeysAsync(incidents, console, linked),
            SummaryLoopAsync(summary, statusPage, console, ct),
        };
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM, q or the duration: the normal end of the demo.
        }

        console.Line(interrupted.IsCancellationRequested || _interrupted.IsCancellationRequested ? "stopping (interrupted)…" : "stopping…");
        using (var stopping = new CancellationTokenSource(StopTimeout, time))
        {
            await host.StopAsync(stopping.Token);
        }

        console.Frame(await summary.RefreshAsync(statusPage, CancellationToken.None));
        console.Line(summary.FirstCoveredAfter is { } covered
            ? $"first covered verdict {covered.TotalSeconds:0.0} s after the demo started"
            : "no covered verdict was reached");
        SqliteSupplyStore.ReleasePooledConnections();
        group.StopAll();
        foreach (var chain in evm)
        {
            TryDelete(Path.Combine(directory, $"{chain.Name}-cache"));
        }

        console.Line($"store kept at {config.StoragePath} (try: usd1rec supply --config {configPath})");
        return ExitCodes.Ok;
    }

    public void Dispose() => _interrupted.Dispose();

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true;
        _interrupted.Cancel();
    }

    private static async Task WriteReservesAsync(DemoReserveFeed feed, IReadOnlyList<EvmDemoChain> evm, SolanaDemoChain solana, DemoIncidents incidents, CancellationToken ct)
    {
        var supply = await solana.TotalSupplyAsync(ct);
        foreach (var chain in evm)
        {
            supply += await chain.TotalSupplyAsync(ct);
        }

        await feed.WriteAsync(supply - incidents.Unbacked, ct);
    }

    private async Task ReservesLoopAsync(DemoReserveFeed feed, IReadOnlyList<EvmDemoChain> evm, SolanaDemoChain solana, DemoIncidents incidents, DemoConsole console, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), time, ct);
            try
            {
                await WriteReservesAsync(feed, evm, solana, incidents, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException)
            {
                console.Event($"reserve feed not rewritten: {ex.Message}");
            }
        }
    }

    /// <summary>Incidents asked for on the command line: the first once the demo has shown a Covered verdict, then one after another.</summary>
    private async Task IncidentScheduleAsync(DemoIncidents incidents, DemoSummary summary, DemoConsole console, CancellationToken ct)
    {
        if (options.Incidents.Count == 0)
        {
            return;
        }

        while (summary.FirstCoveredAfter is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, ct);
        }

        foreach (var incident in options.Incidents)
        {
            await Task.Delay(options.IncidentAfter, time, ct);
            await StageSafelyAsync(incidents, incident, console, ct);
        }
    }

    /// <summary>Keys while running on a terminal: m, r, f stage an incident; q stops.</summary>
    private async Task KeysAsync(DemoIncidents incidents, DemoConsole console, CancellationTokenSource linked)
    {
        if (!console.IsTerminal || Console.IsInputRedirected)
        {
            return;
        }

        var ct = linked.Token;
        while (!ct.IsCancellationRequested)
        {
            if (!Console.KeyAvailable)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
                continue;
            }

            var key = char.ToLowerInvariant(Console.ReadKey(intercept: true).KeyChar);
            if (key == 'q')
            {
                await linked.CancelAsync();
                return;
            }

            if (DemoIncidents.TryParse(key.ToString(), out var incident))
            {
                await StageSafelyAsync(incidents, incident, console, ct);
            }
        }
    }

    private static async Task StageSafelyAsync(DemoIncidents incidents, DemoIncident incident, DemoConsole console, CancellationToken ct)
    {
        try
        {
            await incidents.StageAsync(incident, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            console.Event($"incident {incident} could not be staged: {ex.Message}");
        }
    }

    /// <summary>Refreshes every second; on a terminal each refresh redraws, in a log every tenth one is printed.</summary>
    private async Task SummaryLoopAsync(DemoSummary summary, Uri statusPage, DemoConsole console, CancellationToken ct)
    {
        for (var tick = 0; !ct.IsCancellationRequested; tick++)
        {
            try
            {
                var frame = await summary.RefreshAsync(statusPage, ct);
                if (console.IsTerminal || tick % 10 == 0)
                {
                    console.Frame(frame);
                }
            }
            catch (DbException ex)
            {
                // The daemon in the same process writes the store; a read that meets its lock is retried next tick.
                console.Event($"summary: store busy ({ex.Message}), retrying");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    private static string PrepareDirectory(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            var ours = File.Exists(Path.Combine(directory, Marker)) ||
                       (File.Exists(Path.Combine(directory, "config.json")) && File.Exists(Path.Combine(directory, "usd1rec.db")));
            if (!ours)
            {
                throw new InvalidOperationException($"{directory} holds files the demo did not write; choose another --dir");
            }

            // Each run starts new chains, so a store from an earlier run describes chains that no longer exist.
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, Marker), "written by usd1rec-demo; the folder is recreated on each run\n");
        return directory;
    }

    /// <summary>The requested address, or a free port beside it when another daemon already holds it.</summary>
    private static string ChooseListen(string listen, DemoConsole console)
    {
        var endpoint = ObservabilityServer.ParseListen(listen);
        if (endpoint.Port == 0)
        {
            return listen;
        }

        try
        {
            using var probe = new TcpListener(endpoint);
            probe.Start();
            probe.Stop();
            return listen;
        }
        catch (SocketException)
        {
            console.Progress($"{listen} is in use; the daemon listens on a free port instead");
            return $"{(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString())}:0";
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A cache folder left behind is harmless; the next run recreates the demo folder.
        }
    }
}
