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
        var (context, exitCode) = await CommandContext.OpenAsync(
            new CommandRequest(configPath) { Use = Configuration.ConfigurationUse.Run, WriterVerb = "run" }, console, time, cancellationToken);
        if (context is null)
        {
            return exitCode;
        }

        // A lost lease (another process took it, believing this one dead) stops the daemon: two writers must never run.
        await using var _ = context;
        var stopping = context.Stopping;
        using var host = DaemonHost.Build(context.Config, context.Store, time, context.Loggers);
        try
        {
            await host.RunAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping is the normal end of the daemon.
        }

        if (context.LeaseLost)
        {
            console.Error.WriteLine($"usd1rec: store {context.Config.StoreName}: the writer lease was taken by another process; the daemon stopped");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }
}
