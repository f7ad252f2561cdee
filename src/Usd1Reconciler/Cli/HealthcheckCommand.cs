using System.CommandLine;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec healthcheck`: GETs the running daemon's health endpoint and exits 0 on a 2xx answer, 1 otherwise. The
/// container image has no shell, curl or wget (less to patch, less to exploit), so its HEALTHCHECK runs this.
/// </summary>
internal static class HealthcheckCommand
{
    public const string DefaultUrl = "http://127.0.0.1:9464/healthz";

    public static Command Create(CliConsole console)
    {
        var url = new Option<string>("--url")
        {
            Description = $"Health endpoint to probe (default {DefaultUrl}).",
            DefaultValueFactory = _ => DefaultUrl,
        };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for the answer (default 00:00:05).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
        };
        var command = new Command("healthcheck", "Probe a running daemon's /healthz; exit 0 when healthy (for container health checks).") { url, timeout };
        command.SetAction((result, ct) => RunAsync(result.GetValue(url)!, result.GetValue(timeout), console, ct));
        return command;
    }

    public static async Task<int> RunAsync(string url, TimeSpan timeout, CliConsole console, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(new Uri(url), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                console.WriteLine($"healthy: {url} answered {(int)response.StatusCode}");
                return ExitCodes.Ok;
            }

            console.Error.WriteLine($"usd1rec: unhealthy: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            console.Error.WriteLine($"usd1rec: unhealthy: {url}: {ex.Message}");
        }

        return ExitCodes.Failure;
    }
}
