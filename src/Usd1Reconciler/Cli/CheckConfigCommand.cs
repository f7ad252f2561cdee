using System.CommandLine;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec check-config`: loads and validates the configuration through the very call the verb named by `--for`
/// makes (<see cref="ConfigLoader.Load(string, ConfigurationUse)"/>: file, environment, secret files, and what that
/// verb alone needs — `run` by default, so a file that passes here is one `run` accepts) and stops there: no store is
/// opened or created and no network is called, so it is safe to run against the live configuration before a restart
/// (`ExecStartPre=`, a deploy pipeline, a pre-commit hook). It also says for which verbs the file is valid.
/// </summary>
internal static class CheckConfigCommand
{
    /// <summary>The verbs each use stands for, in the order they are reported.</summary>
    private static readonly (ConfigurationUse Use, string Name, string Verbs)[] Uses =
    [
        (ConfigurationUse.Run, "run", "run"),
        (ConfigurationUse.Reconcile, "reconcile", "reconcile"),
        (ConfigurationUse.Index, "index", "index, supply, report, db"),
    ];

    public static Command Create(Option<string> config, CliConsole console)
    {
        var forVerb = new Option<string>("--for")
        {
            Description = "Validate for this verb: run (default; the daemon), reconcile, or index (also supply, report, db).",
            DefaultValueFactory = _ => "run",
        };
        forVerb.AcceptOnlyFromAmong(Uses.Select(u => u.Name).ToArray());
        var command = new Command("check-config", "Validate the configuration (file, environment, secret files) as the given verb would, without starting anything; exit 0 or 2.") { config, forVerb };
        command.SetAction(result => Run(result.GetValue(config)!, console, result.GetValue(forVerb)!));
        return command;
    }

    public static int Run(string configPath, CliConsole console, string forVerb = "run")
    {
        var requested = Uses.Single(u => u.Name == forVerb);
        var outcomes = Uses.ToDictionary(u => u.Use, u => TryLoad(configPath, u.Use));
        var validFor = Uses.Where(u => outcomes[u.Use].Loaded is not null).ToList();
        if (outcomes[requested.Use] is { Loaded: null, Error: { } error })
        {
            var exit = ConfigErrorReporter.Report(error, console.Error);
            if (validFor.Count > 0)
            {
                console.Error.WriteLine(
                    $"usd1rec: checked for `{requested.Name}`; the file is valid for {string.Join(", ", validFor.Select(u => u.Verbs))} (check-config --for {validFor[0].Name} passes)");
            }

            return exit;
        }

        var loaded = outcomes[requested.Use].Loaded!;
        var notFor = Uses.Except(validFor).ToList();
        console.WriteLine($"configuration ok for {requested.Name}: {loaded.FilePath}");
        console.WriteLine($"  valid for: {string.Join(", ", validFor.Select(u => u.Verbs))}"
            + (notFor.Count == 0 ? string.Empty : $" (not for {string.Join(", ", notFor.Select(u => u.Verbs))}: {string.Join("; ", notFor.SelectMany(u => outcomes[u.Use].Error!.Problems).Distinct())})"));
        console.WriteLine(loaded.StoreIsFile
            ? $"  store: {loaded.StoragePath}{(File.Exists(loaded.StoragePath) ? string.Empty : " (does not exist yet; the first run creates it)")}"
            : $"  store: PostgreSQL {loaded.StoreName} (not contacted by check-config; the first run creates the schema)");
        foreach (var network in loaded.Options.Networks)
        {
            // Endpoints are shown by scheme, host and port only: a URL's path or query often carries an API key.
            var endpoints = string.Join(", ", network.RpcUrls.Select(EndpointLabel));
            console.WriteLine($"  network {network.Name}: {network.Kind}, {network.RpcUrls.Count} RPC endpoint{(network.RpcUrls.Count == 1 ? "" : "s")} ({endpoints})");
        }

        foreach (var feed in loaded.Options.Reserves.Feeds)
        {
            console.WriteLine($"  feed {feed.Name}: {feed.Kind}, {DescribeSource(loaded, feed)}");
        }

        return ExitCodes.Ok;
    }

    private static (LoadedConfiguration? Loaded, ConfigurationException? Error) TryLoad(string configPath, ConfigurationUse use)
    {
        try
        {
            return (ConfigLoader.Load(configPath, use), null);
        }
        catch (ConfigurationException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>
    /// A file feed's resolved path, and a note when it is missing: not an error (custodians often drop the file after
    /// the daemon starts), but until it exists the feed has no snapshot and every reconciliation is Inconclusive.
    /// </summary>
    private static string DescribeSource(LoadedConfiguration loaded, ReserveFeedOptions feed)
    {
        if (!string.IsNullOrWhiteSpace(feed.Url))
        {
            return EndpointLabel(feed.Url);
        }

        // Resolved as the feed factory resolves it: relative to the configuration file.
        var path = Path.GetFullPath(feed.Path!, Path.GetDirectoryName(loaded.FilePath)!);
        return File.Exists(path)
            ? path
            : $"{path} (does not exist yet: the feed has no snapshot and reconciliations are Inconclusive until it does)";
    }

    private static string EndpointLabel(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "?";
}
