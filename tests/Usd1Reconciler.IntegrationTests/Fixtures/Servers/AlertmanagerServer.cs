using System.Text;
using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A real Alertmanager (Debian's /usr/bin/prometheus-alertmanager) on a free loopback port, clustering off, its
/// storage in a private temp folder, stopped by PID. By default it routes every alert, one notification per alert
/// (<c>group_by: ['...']</c>), to one webhook with <c>group_wait: 0s</c>, <c>group_interval: 1s</c> and a long
/// <c>repeat_interval</c>, so a test sees each firing and each resolve once and promptly.
/// <para>
/// <see cref="StopAsync"/> and <see cref="RestartAsync"/> keep the port, configuration and storage: an "Alertmanager
/// outage" for a client that must retry (the daemon's push queue) is stop, act, restart.
/// </para>
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly int _port;
    private ServerProcess? _process;

    private AlertmanagerServer(TempDirectory directory, int port, string configPath)
    {
        _directory = directory;
        _port = port;
        ConfigPath = configPath;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Base URL; the v2 API is under <c>api/v2/</c>, which is what the daemon's client and Prometheus use.</summary>
    public Uri Url { get; }

    public string ConfigPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>Routes everything to <paramref name="webhook"/> (see the class summary for the timing).</summary>
    public static Task<AlertmanagerServer> StartAsync(Uri webhook, IReadOnlyList<string>? groupBy = null) =>
        StartWithConfigAsync(WebhookConfig(webhook, groupBy ?? ["..."]));

    /// <summary>Starts with a configuration written by the test (e.g. the repository's example with real webhook URLs).</summary>
    public static async Task<AlertmanagerServer> StartWithConfigAsync(string configYaml)
    {
        var directory = new TempDirectory("alertmanager");
        var configPath = directory.File("alertmanager.yml");
        await File.WriteAllTextAsync(configPath, configYaml);
        var server = new AlertmanagerServer(directory, FreePort.Next(), configPath);
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The configuration <see cref="StartAsync"/> writes.</summary>
    public static string WebhookConfig(Uri webhook, IReadOnlyList<string> groupBy)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("route:");
        yaml.AppendLine("  receiver: webhook");
        yaml.AppendLine($"  group_by: [{string.Join(", ", groupBy.Select(l => JsonSerializer.Serialize(l)))}]");
        yaml.AppendLine("  group_wait: 0s");
        yaml.AppendLine("  group_interval: 1s");
        yaml.AppendLine("  repeat_interval: 24h");
        yaml.AppendLine("receivers:");
        yaml.AppendLine("  - name: webhook");
        yaml.AppendLine("    webhook_configs:");
        yaml.AppendLine($"      - url: {JsonSerializer.Serialize(webhook.ToString())}");
        yaml.AppendLine("        send_resolved: true");
        return yaml.ToString();
    }

    /// <summary>Kills Alertmanager by PID; the port stays reserved for <see cref="RestartAsync"/> only by convention.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    /// <summary>Starts (again) on the same port with the same configuration and storage (silences, notification log).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var process = ServerProcess.Start(Binary,
        [
            $"--config.file={ConfigPath}",
            $"--storage.path={_directory.File("data")}",
            $"--web.listen-address=127.0.0.1:{_port}",
            "--cluster.listen-address=",
            "--log.level=warn",
        ], _directory.Path);
        _process = process;
        await process.WaitUntilReadyAsync(_http, new Uri(Url, "-/ready"), StartTimeout);
    }

    /// <summary>The alerts Alertmanager holds (<c>GET /api/v2/alerts</c>), active, silenced and inhibited.</summary>
    public async Task<JsonElement> GetAlertsAsync()
    {
        var body = await _http.GetStringAsync(new Uri(Url, "api/v2/alerts"));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Posts alerts as a client would (<c>POST /api/v2/alerts</c>, a JSON array of postable alerts).</summary>
    public async Task PostAlertsAsync(string alertsJson)
    {
        using var content = new StringContent(alertsJson, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(Url, "api/v2/alerts"), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Alertmanager refused the alerts: {(int)response.StatusCode} {body}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _http.Dispose();
            _directory.Dispose();
        }
    }
}
