using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.IntegrationTests.StatusPage;

/// <summary>
/// What every status page browser test sets up: a real `usd1rec run` host (built from a configuration file as the verb
/// builds it) on a store that may be seeded with a history of earlier reports, custodian file feeds the test writes, and
/// headless Chromium (Debian's `chromium`, driven by playwright-core through tools/devnet/browser/read-status-page.mjs)
/// that renders the page at a viewport width, screenshots it into the test's output (TestContext.AddTestAttachment)
/// and returns what the DOM shows.
/// </summary>
internal sealed class StatusPageFixture : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly TempDirectory _directory;
    private readonly IHost _host;
    private readonly IReadOnlyList<(string Name, string StaleAfter, string Custodian, string AccountsJson)> _feeds;

    private StatusPageFixture(TempDirectory directory, IHost host, SqliteSupplyStore store, Uri url, IReadOnlyList<(string Name, string StaleAfter, string Custodian, string AccountsJson)> feeds)
    {
        _directory = directory;
        _feeds = feeds;
        _host = host;
        Store = store;
        Reports = new SqliteReconciliationStore(store);
        Anomalies = new SqliteAnomalyStore(store);
        Url = url;
    }

    public SqliteSupplyStore Store { get; }

    public SqliteReconciliationStore Reports { get; }

    public SqliteAnomalyStore Anomalies { get; }

    public Uri Url { get; }

    /// <param name="networksJson">The Networks array's items.</param>
    /// <param name="feeds">Each feed: its name, its freshness budget and the custodian document it serves (asOf is now).</param>
    /// <param name="history">Reports stored before the daemon starts (evaluated in the past), for the charts.</param>
    public static async Task<StatusPageFixture> StartAsync(string networksJson, IReadOnlyList<(string Name, string StaleAfter, string Custodian, string AccountsJson)> feeds, IReadOnlyList<ReconciliationReport>? history = null)
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: `apt-get install -y --no-install-recommends chromium` (.ci/run does)");
        var directory = new TempDirectory("status-page");
        foreach (var feed in feeds)
        {
            await WriteFeedAsync(directory, feed);
        }

        var feedsJson = string.Join(",", feeds.Select(f => $$"""{ "Name": "{{f.Name}}", "Kind": "File", "Path": "{{f.Name}}.json", "PollInterval": "00:00:00.500", "StaleAfter": "{{f.StaleAfter}}" }"""));
        var config = directory.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Storage": { "Path": "store.db" },
              "Http": { "Listen": "127.0.0.1:0" },
              "Logging": { "Level": "Warning" },
              "Networks": [ {{networksJson}} ],
              "Reserves": { "Feeds": [ {{feedsJson}} ] },
              "Reconciliation": { "Schedule": "* * * * * ?" }
            }
            """);
        var loaded = ConfigLoader.Load(config);
        var store = SqliteSupplyStore.Open(loaded.StoragePath, TimeProvider.System);
        var reports = new SqliteReconciliationStore(store);
        foreach (var report in history ?? [])
        {
            await reports.AppendReportAsync("scheduled", report.EvaluatedAt, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict),
                report.Shortfall?.ToString() ?? "", ReportCanonicalForm.Write(report, report.EvaluatedAt), CancellationToken.None);
        }

        var host = DaemonHost.Build(loaded, store, TimeProvider.System);
        await host.StartAsync();
        return new StatusPageFixture(directory, host, store, host.Services.GetRequiredService<ObservabilityServer>().BoundAddress!, feeds);
    }

    /// <summary>Rewrites every feed's document with an as-of time of now: the custodian publishing again.</summary>
    public async Task TouchFeedsAsync()
    {
        foreach (var feed in _feeds)
        {
            await WriteFeedAsync(_directory, feed);
        }
    }

    /// <summary>Written aside and moved into place: the poller never reads a half-written document.</summary>
    private static async Task WriteFeedAsync(TempDirectory directory, (string Name, string StaleAfter, string Custodian, string AccountsJson) feed)
    {
        var path = directory.File(feed.Name + ".json");
        await File.WriteAllTextAsync(path + ".tmp",
            $$"""{"custodian":"{{feed.Custodian}}","asOf":"{{TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","attestation":"test","accounts":[{{feed.AccountsJson}}]}""");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// A history of <paramref name="count"/> reports every <paramref name="step"/> up to <paramref name="end"/>:
    /// circulating supply rising linearly from <paramref name="firstSupply"/> to <paramref name="lastSupply"/> tokens
    /// (6 decimals), reserves at 130 % of it, and the reports at the positions in <paramref name="inconclusive"/>
    /// made with a stale feed (Inconclusive, no figure).
    /// </summary>
    public static List<ReconciliationReport> History(DateTimeOffset end, TimeSpan step, int count, long firstSupply, long lastSupply, ISet<int> inconclusive)
    {
        var reports = new List<ReconciliationReport>();
        for (var i = 0; i < count; i++)
        {
            var at = end - step * (count - 1 - i);
            var tokens = firstSupply + (lastSupply - firstSupply) * i / Math.Max(1, count - 1);
            var asOf = inconclusive.Contains(i) ? at.AddDays(-2) : at;
            var snapshot = new ReserveSnapshot(i + 1, "history", "History Bank", asOf,
                [new ReserveAccount("h", AssetClass.Cash, "USD", UsdAmount.Parse((tokens * 13 / 10).ToString(CultureInfo.InvariantCulture)), "History Bank", 0)], "att", "ab", null, asOf);
            reports.Add(Reconciler.Evaluate(new ReconciliationInput(
                "scheduled",
                at,
                [new NetworkCirculation("ethereum", NetworkKind.Evm, 1 + i, 6, new TokenAmount(tokens * 1_000_000), LedgerProofStatus.Ok, [], null, null)],
                [new FeedInput("history", snapshot, TimeSpan.FromHours(1), null)],
                new ReconciliationPolicy(10_000, 2, 2_000, 10_000))));
        }

        return reports;
    }

    /// <summary>Renders the page at <paramref name="width"/> px, saves and attaches the screenshot, returns what the DOM shows.</summary>
    public async Task<JsonDocument> ReadPageAsync(int width)
    {
        var name = $"status-page-{TestContext.CurrentContext.Test.Name}-{width}px.png";
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "StatusPage", name);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.DevnetTools,
        };
        foreach (var argument in new[] { Path.Combine(RepoPaths.DevnetTools, "browser", "read-status-page.mjs"), "--url", Url.ToString(), "--screenshot", screenshot, "--chromium", Chromium, "--width", width.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"read-status-page.mjs did not finish within two minutes: {await stderr}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"read-status-page.mjs failed ({process.ExitCode}): {await stderr}");
        }

        TestContext.Out.WriteLine($"screenshot at {width} px: {screenshot}");
        TestContext.AddTestAttachment(screenshot, $"the status page at {width} px as headless Chromium rendered it");
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a real rendering, not an empty image");
        return JsonDocument.Parse(await stdout);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"not reached within {timeout}: {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }

    /// <summary>The token format the page uses for a network: the stored decimals, the configured symbol (default USD1).</summary>
    public static Core.Presentation.TokenFormat Tokens(NetworkSupply supply) => new(supply.Token?.Decimals, "USD1");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
