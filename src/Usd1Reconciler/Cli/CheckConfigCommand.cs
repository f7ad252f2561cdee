using System.CommandLine;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec check-config`: loads and validates the configuration exactly as every other verb does (file, environment,
/// secret files) and stops there: no store is opened or created and no network is called, so it is safe to run
/// against the live configuration before a restart (`ExecStartPre=`, a deploy pipeline, a pre-commit hook).
/// </summary>
internal static class CheckConfigCommand
{
    public static Command Create(Option<string> config, CliConsole console)
    {
        var command = new Command("check-config", "Validate the configuration (file, environment, secret files) without starting anything; exit 0 or 2.") { config };
        command.SetAction(result => Run(result.GetValue(config)!, console));
        return command;
    }

    public static int Run(string configPath, CliConsole console)
    {
        LoadedConfiguration loaded;
        try
        {
            loaded = ConfigLoader.Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            return ConfigErrorReporter.Report(ex, console.Error);
        }

        var networks = loaded.Options.Networks;
        console.WriteLine($"configuration ok: {loaded.FilePath}");
        console.WriteLine($"  store: {loaded.StoragePath}{(File.Exists(loaded.StoragePath) ? string.Empty : " (does not exist yet; the first run creates it)")}");
        foreach (var network in networks)
        {
            // Endpoints are shown by scheme, host and port only: a URL's path or query often carries an API key.
            var endpoints = string.Join(", ", network.RpcUrls.Select(EndpointLabel));
            console.WriteLine($"  network {network.Name}: {network.Kind}, {network.RpcUrls.Count} RPC endpoint{(network.RpcUrls.Count == 1 ? "" : "s")} ({endpoints})");
        }

        return ExitCodes.Ok;
    }

    private static string EndpointLabel(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : "?";
}
