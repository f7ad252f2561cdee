using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port with its TSDB in a private temp folder,
/// scraping the given targets and evaluating the given rule files every second, stopped by PID on dispose.
/// <code>
/// await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
/// {
///     Targets = [daemonMetricsUrl], RuleFiles = [RepoPaths.PrometheusRules], Alertmanager = alertmanager.Url,
/// });
/// var result = await prometheus.WaitForAsync("usd1_coverage_ratio", r => r.Samples.Count > 0, TimeSpan.FromSeconds(20));
/// </code>
/// </summary>
internal sealed partial class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ServerProcess _process;
    private readonly TempDirectory _directory;
    private readonly HttpClient _http;

    private PrometheusServer(ServerProcess process, TempDirectory directory, HttpClient http, Uri url, string configPath)
    {
        _process = process;
        _directory = directory;
        _http = http;
        Url = url;
        ConfigPath = configPath;
    }

    public Uri Url { get; }

    /// <summary>The generated prometheus.yml (rule files next to it under rules/).</summary>
    public string ConfigPath { get; }

    public string RecentOutput => _process.RecentOutput;

    public static async Task<PrometheusServer> StartAsync(PrometheusServerOptions? options = null)
    {
        options ??= new PrometheusServerOptions();
        var directory = new TempDirectory("prometheus");
        try
        {
            var configPath = WriteConfig(directory, options);
            var port = FreePort.Next();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var process = ServerProcess.Start(Binary,
            [
                $"--config.file={configPath}",
                $"--storage.tsdb.path={directory.File("data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                // Firing alerts are re-sent to Alertmanager every second (default 1m), so an Alertmanager restarted by
                // a test hears about them again at once, as it would after a minute in production.
                "--rules.alert.resend-delay=1s",
                "--log.level=warn",
            ], directory.Path);
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var server = new PrometheusServer(process, directory, http, url, configPath);
            try
            {
                await process.WaitUntilReadyAsync(http, new Uri(url, "-/ready"), StartTimeout);
                return server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An instant query (<c>GET /api/v1/query</c>) at the current time. A malformed or failing expression throws
    /// <see cref="PrometheusQueryException"/> carrying Prometheus' status code, errorType and message.
    /// </summary>
    public async Task<PrometheusQueryResult> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync(new Uri(Url, $"api/v1/query?query={Uri.EscapeDataString(promql)}"));
        var body = await response.Content.ReadAsStringAsync();
        using var document = ParseApiReply(body, response.StatusCode, promql);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new PrometheusQueryException(promql, response.StatusCode,
                root.TryGetProperty("errorType", out var type) ? type.GetString() ?? "" : "",
                root.TryGetProperty("error", out var error) ? error.GetString() ?? "" : body);
        }

        return PrometheusQueryResult.From(root.GetProperty("data"));
    }

    /// <summary>Queries every 200 ms until <paramref name="predicate"/> holds; throws on timeout with the last result.</summary>
    public async Task<PrometheusQueryResult> WaitForAsync(string promql, Func<PrometheusQueryResult, bool> predicate, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(promql);
            if (predicate(result))
            {
                return result;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"`{promql}` did not reach the expected result within {timeout}; last: {result}\n{RecentOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    /// <summary>Waits until every configured target has been scraped successfully (<c>up == 1</c>).</summary>
    public Task WaitForTargetsUpAsync(TimeSpan timeout) =>
        WaitForAsync("up", r => r.Samples.Count > 0 && r.Samples.All(s => s.Value == 1), timeout);

    /// <summary>The rule-evaluated alerts (<c>GET /api/v1/alerts</c>): pending and firing, with labels, annotations, state.</summary>
    public async Task<JsonElement> GetAlertsAsync()
    {
        using var response = await _http.GetAsync(new Uri(Url, "api/v1/alerts"));
        var body = await response.Content.ReadAsStringAsync();
        using var document = ParseApiReply(body, response.StatusCode, "alerts");
        return document.RootElement.GetProperty("data").GetProperty("alerts").Clone();
    }

    /// <summary>The loaded rule groups (<c>GET /api/v1/rules</c>) as Prometheus parsed them: names, queries, labels, annotations, health.</summary>
    public async Task<JsonElement> GetRuleGroupsAsync()
    {
        using var response = await _http.GetAsync(new Uri(Url, "api/v1/rules"));
        var body = await response.Content.ReadAsStringAsync();
        using var document = ParseApiReply(body, response.StatusCode, "rules");
        return document.RootElement.GetProperty("data").GetProperty("groups").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync();
        }
        finally
        {
            _http.Dispose();
            _directory.Dispose();
        }
    }

    private static JsonDocument ParseApiReply(string body, HttpStatusCode status, string what)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new PrometheusQueryException(what, status, "not_json", body);
        }
    }

    private static string WriteConfig(TempDirectory directory, PrometheusServerOptions options)
    {
        var rulesDirectory = Directory.CreateDirectory(directory.File("rules")).FullName;
        var ruleFiles = new List<string>();
        foreach (var (ruleFile, index) in options.RuleFiles.Select((f, i) => (f, i)))
        {
            var text = File.ReadAllText(ruleFile);
            if (options.RuleForOverride is { } forOverride)
            {
                text = RuleForLine().Replace(text, m => $"{m.Groups["indent"].Value}for: {(int)forOverride.TotalMilliseconds}ms");
            }

            var copy = Path.Combine(rulesDirectory, $"{index}-{Path.GetFileName(ruleFile)}");
            File.WriteAllText(copy, text);
            ruleFiles.Add(copy);
        }

        var yaml = new StringBuilder();
        yaml.AppendLine("global:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  scrape_interval: {Duration(options.ScrapeInterval)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  scrape_timeout: {Duration(options.ScrapeInterval)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  evaluation_interval: {Duration(options.EvaluationInterval)}");
        yaml.AppendLine("rule_files:");
        foreach (var ruleFile in ruleFiles)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {Quote(ruleFile)}");
        }

        if (options.Alertmanager is { } alertmanager)
        {
            yaml.AppendLine("alerting:");
            yaml.AppendLine("  alertmanagers:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    - path_prefix: {Quote(alertmanager.AbsolutePath)}");
            yaml.AppendLine("      static_configs:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        - targets: [{Quote(alertmanager.Authority)}]");
        }

        yaml.AppendLine("scrape_configs:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {Quote(options.JobName)}");
        yaml.AppendLine("    static_configs:");
        foreach (var target in options.Targets)
        {
            // One group per target so each keeps its own path (the __metrics_path__ label overrides the job's).
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{Quote(target.Authority)}]");
            yaml.AppendLine("        labels:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"          __metrics_path__: {Quote(target.AbsolutePath)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"          __scheme__: {Quote(target.Scheme)}");
        }

        var configPath = directory.File("prometheus.yml");
        File.WriteAllText(configPath, yaml.ToString());
        return configPath;
    }

    private static string Duration(TimeSpan span) => $"{(int)span.TotalMilliseconds}ms";

    private static string Quote(string value) => JsonSerializer.Serialize(value); // a JSON string is a YAML string

    [GeneratedRegex(@"^(?<indent>[ \t]*)for:[ \t]*\S+.*$", RegexOptions.Multiline)]
    private static partial Regex RuleForLine();
}
