using System.CommandLine;
using Usd1Reconciler.Cli;

namespace Usd1Reconciler.Demo;

/// <summary>
/// `usd1rec-demo`: the whole system on local devnets in one command — the README's first command. Its own executable,
/// apart from `usd1rec`: the demo sends transactions and runs npm, the daemon never does.
/// </summary>
internal static class DemoCommand
{
    public static RootCommand Create(CliConsole console, TimeProvider time)
    {
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "Stop by itself after this long (e.g. 00:02:00); default: until Ctrl-C.",
        };
        var incident = new Option<string[]>("--incident")
        {
            Description = "Stage an incident once the demo has shown a Covered verdict: oversized-mint, reorg or feed-outage (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        var incidentAfter = new Option<TimeSpan>("--incident-after")
        {
            Description = "Pause before each requested incident.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(15),
        };
        var directory = new Option<string>("--dir")
        {
            Description = "Demo folder (store, config, reserve feed); recreated on each run.",
            DefaultValueFactory = _ => ".demo",
        };
        var listen = new Option<string>("--listen")
        {
            Description = "host:port of the status page and /metrics (a free port is used when it is taken; port 0 always picks one).",
            DefaultValueFactory = _ => "127.0.0.1:9464",
        };
        var alertmanager = new Option<string?>("--alertmanager")
        {
            Description = "Page anomalies to this Alertmanager (e.g. http://127.0.0.1:9093); default: stored and shown only.",
        };
        var command = new RootCommand(
            "usd1rec-demo — start two local anvils and the local Solana devnet, deploy the token, run a reserve feed and steady traffic, and run the daemon (usd1rec run's host) on them with a live summary.")
        {
            duration, incident, incidentAfter, directory, listen, alertmanager,
        };
        command.Validators.Add(result =>
        {
            foreach (var text in result.GetValue(incident) ?? [])
            {
                if (!DemoIncidents.TryParse(text, out _))
                {
                    result.AddError($"--incident: '{text}' is not one of oversized-mint, reorg, feed-outage");
                }
            }

            if (result.GetValue(duration) is { } d && d <= TimeSpan.Zero)
            {
                result.AddError("--duration: must be positive");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            var incidents = (result.GetValue(incident) ?? []).Select(text => DemoIncidents.TryParse(text, out var parsed) ? parsed : default).ToList();
            var options = new DemoOptions(
                result.GetValue(directory)!, result.GetValue(listen)!, result.GetValue(duration), incidents, result.GetValue(incidentAfter), result.GetValue(alertmanager));
            using var runner = new DemoRunner(options, console, time);
            return await runner.RunAsync(ct);
        });
        return command;
    }
}
