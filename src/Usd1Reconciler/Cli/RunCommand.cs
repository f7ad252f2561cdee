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

        if (!CommandSupport.TryOpenStore(config, time, console, out var store))
        {
            return ExitCodes.Failure;
        }

        using var host = DaemonHost.Build(config, store, time);
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of the daemon.
        }

        return ExitCodes.Ok;
    }
}
