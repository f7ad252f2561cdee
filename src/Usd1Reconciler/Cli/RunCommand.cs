using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Usd1Reconciler.Hosting;

namespace Usd1Reconciler.Cli;

/// <summary>`usd1rec run`: the daemon — Quartz schedules for indexing, feed polling, reconciliation and retention, until stopped.</summary>
internal static class RunCommand
{
    public static Command Create(Option<string> config, CliConsole console, TimeProvider time)
    {
        var command = new Command("run", "Run the daemon: index, poll feeds, reconcile and prune on the configured schedules until stopped.") { config };
        command.SetAction((result, ct) => RunAsync(result.GetValue(config)!, console, time, ct));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!CommandSupport.TryLoadForReconciliation(configPath, console, out var config, Configuration.ConfigurationUse.Run))
        {
            return ExitCodes.InvalidConfiguration;
        }

        // The writer lease comes before the store is opened (opening migrates): a second writer changes nothing.
        using var leaseLoggers = LoggingSetup.Create(config.Options.Logging);
        await using var lease = await WriterLeaseGate.TryAcquireAsync(config, "run", console, time, leaseLoggers, cancellationToken);
        if (lease is null)
        {
            return ExitCodes.Failure;
        }

        if (!CommandSupport.TryOpenStore(config, time, console, out var store))
        {
            return ExitCodes.Failure;
        }

        // A lost lease (another process took it, believing this one dead) stops the daemon: two writers must never run.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        using var host = DaemonHost.Build(config, store, time);
        try
        {
            await host.RunAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping is the normal end of the daemon.
        }

        if (lease.Lost.IsCancellationRequested)
        {
            console.Error.WriteLine($"usd1rec: store {config.StoragePath}: the writer lease was taken by another process; the daemon stopped");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }
}
