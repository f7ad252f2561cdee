using System.Runtime.InteropServices;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec index`: index every configured network up to its head. With --once, one pass per network and exit;
/// otherwise follow the heads until stopped. Networks run side by side; one failing network does not stop the others.
/// Passes follow the shared pass policy (<see cref="IndexPassRunner"/>). The verb is a writer: it holds the store's
/// writer lease and is refused beside another writer. Stopping (SIGTERM, Ctrl+C) ends the current pass at a commit
/// boundary and prints "network X: stopped at block N" for each network, exit 0, as `run` does.
/// </summary>
internal static class IndexCommand
{
    public static async Task<int> RunAsync(string configPath, bool once, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        // Before the prologue: on a terminal its loggers must write above the live progress lines.
        var display = IndexProgressDisplay.Create(console, time);
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { WriterVerb = "index" }, display.Console, time, cancellationToken);
        if (context is null)
        {
            await display.DisposeAsync();
            return exitCode;
        }

        await using var _ = context;
        var outputs = console;
        console = display.Console;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        // SIGTERM (systemd, docker stop) and Ctrl+C stop indexing the way they stop `run`: the signal's default (the
        // runtime ends the process, exit 143, mid-pass and without a word) is cancelled, the current pass ends at
        // its next commit boundary, the lease is released and each network's position is printed.
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var services = context.Reconciler;
        var passes = services.Passes;
        var networks = context.Config.Options.Networks
            .Select(n => (Options: n, Indexer: services.Indexers[n.Name]))
            .ToList();

        display.Start(services.Progress, [.. networks.Select(n => n.Options.Name)]);
        bool[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(networks.Select(n => once
                ? RunOnceAsync(n.Indexer, passes, console, stopping.Token)
                : FollowAsync(n.Indexer, passes, n.Options.PollInterval, console, time, stopping.Token)));
        }
        finally
        {
            await display.DisposeAsync();
        }

        console = outputs;
        if (context.LeaseLost)
        {
            console.Error.WriteLine($"usd1rec: store {context.Config.StoreName}: the writer lease was taken by another process; indexing stopped");
            return ExitCodes.Failure;
        }

        if (stopping.IsCancellationRequested)
        {
            await PrintStoppedAsync(context.Store, networks.Select(n => n.Options.Name).ToList(), console);
        }

        return outcomes.All(ok => ok) ? ExitCodes.Ok : ExitCodes.Failure;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    /// <returns>False when the pass failed; true when it succeeded or was stopped.</returns>
    private static async Task<bool> RunOnceAsync(INetworkIndexer indexer, IndexPassRunner passes, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await passes.RunAsync(indexer, cancellationToken);
            if (outcome.Result is { } result)
            {
                console.WriteLine(Describe(result));
                return true;
            }

            console.Error.WriteLine($"usd1rec: {NameNetwork(indexer.Network, outcome.Failure!.Message)}");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private static async Task<bool> FollowAsync(INetworkIndexer indexer, IndexPassRunner passes, TimeSpan pollInterval, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var healthy = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var outcome = await passes.RunAsync(indexer, cancellationToken);
                if (outcome.Result is { } result)
                {
                    if (result.EventsAdded > 0 || result.ReorgsHandled > 0 || !healthy)
                    {
                        console.WriteLine(Describe(result));
                    }

                    healthy = true;
                }
                else if (outcome.StopNetwork)
                {
                    // Final history changed: continuing would build on a ledger we can no longer vouch for.
                    console.Error.WriteLine($"usd1rec: {NameNetwork(indexer.Network, outcome.Failure!.Message)}; indexing of this network stopped");
                    return false;
                }
                else
                {
                    // Logged by the pass policy once per change of state; retried after the poll interval.
                    healthy = false;
                }

                await Task.Delay(pollInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of following.
        }

        return true;
    }

    /// <summary>Where each network stands in the store after a stop: every commit is whole, so this is where the next run resumes.</summary>
    private static async Task PrintStoppedAsync(IIndexStore store, IReadOnlyList<string> networks, CliConsole console)
    {
        var supply = await store.GetSupplyAsync(CancellationToken.None);
        foreach (var name in networks)
        {
            var indexed = supply.FirstOrDefault(s => s.Name == name);
            console.WriteLine(indexed is null || indexed.IndexedBlock < 0
                ? $"network {name}: stopped before the first block was indexed"
                : $"network {name}: stopped at block {indexed.IndexedBlock} (final {indexed.FinalBlock})");
        }
    }

    private static string Describe(IndexPassResult r) =>
        $"network {r.Network}: indexed to {r.IndexedTip}, final {r.FinalBlock}, {r.EventsAdded} new events, {r.ReorgsHandled} reorgs, ledger proof {r.Proof.ToString().ToLowerInvariant()}";

    // Most failures already say which network they concern; the rest get its name, and none gets it twice.
    private static string NameNetwork(string network, string message) =>
        message.StartsWith($"network '{network}'", StringComparison.Ordinal) ? message : $"network '{network}': {message}";
}
