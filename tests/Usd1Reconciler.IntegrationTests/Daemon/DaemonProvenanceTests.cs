using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// Issue 12, provenance and alert semantics end to end: the real daemon following a real anvil, scraped by a real
/// Prometheus with the repository's rules (every <c>for:</c> shortened to a few seconds), alerts delivered through a
/// real Alertmanager to a webhook. An outage pages as an outage and never as "coverage 0 %", also across a restart;
/// a shortfall stays paged while the feed is stale and resolves only on a conclusive Covered. Assertions are about
/// the alerts under test only: an unrelated alert (e.g. Usd1DaemonAbsent after a missed scrape) does not fail them.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonProvenanceTests
{
    // Generous: both cores may be busy with other suites.
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    // Longer than zero so "down longer than the rules' for" is a real condition, short enough for a test.
    private static readonly TimeSpan RuleFor = TimeSpan.FromSeconds(3);

    private static string Network(AnvilNode node, string token) => $$"""
        { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0,
          "PollInterval": "00:00:00.250", "RequestTimeout": "00:00:02" }
        """;

    private static Task<PrometheusServer> ScrapeAsync(DaemonUnderTest daemon, AlertmanagerServer alertmanager) =>
        PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            Targets = [new Uri(daemon.Url, "/metrics")],
            RuleFiles = [RepoPaths.PrometheusRules],
            Alertmanager = alertmanager.Url,
            RuleForOverride = RuleFor,
        });

    private static async Task<IReadOnlyList<StoredReport>> ReportsAsync(DaemonUnderTest daemon) =>
        (await new SqliteReconciliationStore(daemon.Store).GetChainAsync(CancellationToken.None)).Reports;

    /// <summary>The reconciliation section of the status page (the sections below it show the last conclusive composition, marked stale).</summary>
    private static string VerdictSection(string page)
    {
        var start = page.IndexOf("<h2>Reconciliation</h2>", StringComparison.Ordinal);
        var end = page.IndexOf("<section id=\"reserves-section\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0).And.LessThan(end), "status page layout");
        return page[start..end];
    }

    private static double? Gauge(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Run_AllEndpointsDownThenRestarted_OutagePagesNoCoveragePageAndNoFigureFromMissingInputs()
    {
        var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 600_000_000_000); // 600,000 tokens of 6 decimals
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        await using var daemon = await DaemonUnderTest.StartAsync(Network(node, token), 1_000_000m);
        await using var prometheus = await ScrapeAsync(daemon, alertmanager);
        await prometheus.WaitForAsync("usd1_reconciliation_verdict{verdict=\"covered\"}", r => r.Samples.Count == 1 && r.Single == 1, Long);
        await prometheus.WaitForAsync("usd1_coverage_ratio", r => r.Samples.Count == 1, Long);
        var coveredCoverage = (await prometheus.QueryAsync("usd1_coverage_ratio")).Single;
        Assert.That(coveredCoverage, Is.EqualTo(1_000_000.0 / 600_000).Within(0.0001), "1,000,000 USD for 600,000 tokens, floor to bps");

        await node.DisposeAsync();
        var (_, stale) = await webhook.WaitForAlertAsync("Usd1NetworkStale", Long);
        var (_, endpoints) = await webhook.WaitForAlertAsync("Usd1RpcEndpointsAllFailing", Long);
        await prometheus.WaitForAsync("usd1_reconciliation_verdict{verdict=\"inconclusive\"}", r => r.Samples.Count == 1 && r.Single == 1, Long);
        var lastCovered = (await ReportsAsync(daemon)).Last(r => r.Verdict == "covered");

        // Restart during the outage: the new process has no decimals, no proofs and no gauges in memory — only the store.
        var restartedAt = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        await daemon.RestartAsync();
        await prometheus.WaitForAsync(
            $"timestamp(usd1_reconciliation_verdict{{verdict=\"inconclusive\"}} == 1) > {restartedAt + 3}", r => r.Samples.Count == 1, Long);
        var reportsAtRestart = (await ReportsAsync(daemon)).Count;
        await DaemonAlertingTests.WaitUntilAsync(async () => (await ReportsAsync(daemon)).Count >= reportsAtRestart + 3, Long, "reconciliations by the restarted daemon");
        // Give a false coverage page every chance: several rule evaluations past `for:` plus Alertmanager's group wait.
        await Task.Delay(RuleFor * 4, TimeProvider.System);

        var metrics = await daemon.GetAsync("/metrics");
        var page = VerdictSection(await daemon.GetAsync("/"));
        var reports = await ReportsAsync(daemon);
        var inconclusive = reports.Where(r => r.Id > lastCovered.Id).ToList();
        var coverageAlerts = await prometheus.QueryAsync("ALERTS{alertname=~\"Usd1CoverageBelowMinimum|Usd1Undercollateralized\"}");
        var lowestCoverage = await prometheus.QueryAsync("min_over_time(usd1_coverage_ratio[10m])");
        Assert.Multiple(() =>
        {
            Assert.That(stale.Labels["network"], Is.EqualTo("anvil"), "the outage pages as what it is");
            Assert.That(endpoints.Labels["network"], Is.EqualTo("anvil"));
            Assert.That(webhook.Alerts.Where(a => a.Labels["alertname"] is "Usd1CoverageBelowMinimum" or "Usd1Undercollateralized"), Is.Empty,
                "an outage must never page as a coverage problem");
            Assert.That(coverageAlerts.Samples, Is.Empty, "not even pending");
            Assert.That(lowestCoverage.Single, Is.EqualTo(coveredCoverage).Within(1e-9),
                "usd1_coverage_ratio never dipped (no 0 from a missing input, none from the restart): it stays the last conclusive value");

            Assert.That(Gauge(metrics, "usd1_coverage_ratio"), Is.EqualTo(coveredCoverage).Within(1e-9), "the restarted daemon exports the last conclusive coverage from the store");
            Assert.That(Gauge(metrics, "usd1_total_supply_tokens{kind=\"circulating\"}"), Is.EqualTo(600_000), "tokens, not base units");
            Assert.That(Gauge(metrics, "usd1_reconciliation_last_conclusive_verdict{verdict=\"covered\"}"), Is.EqualTo(1));
            Assert.That(Gauge(metrics, "usd1_reconciliation_last_conclusive_timestamp_seconds"), Is.EqualTo(lastCovered.EvaluatedAt.ToUnixTimeMilliseconds() / 1000.0).Within(0.001));
            Assert.That(Gauge(metrics, "usd1_reconciliation_inconclusive_since_timestamp_seconds"), Is.EqualTo(inconclusive[0].CreatedAt.ToUnixTimeMilliseconds() / 1000.0).Within(0.001),
                "the run of inconclusive reports began before the restart, and the restarted daemon knows it");

            Assert.That(page, Does.Contain("INCONCLUSIVE since").And.Contain("last conclusive: COVERED, coverage 166.66 %"));
            Assert.That(page, Does.Contain("id=\"coverage\">–<").And.Contain("id=\"circulating\">–<").And.Contain("id=\"shortfall\">–<"));
            Assert.That(page, Does.Not.Contain("0.00 %").And.Not.Contain("600000000000"), "no 0 % coverage and no base units shown as dollars");
        });

        Assert.That(inconclusive, Has.Count.GreaterThanOrEqualTo(3));
        var since = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in inconclusive)
        {
            using var json = JsonDocument.Parse(report.Canonical);
            var root = json.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(report.Verdict, Is.EqualTo("inconclusive"), $"report {report.Id}");
                foreach (var figure in new[] { "circulatingSupplyUsd", "reservesUsd", "shortfallUsd", "coverageBps" })
                {
                    Assert.That(root.GetProperty(figure).ValueKind, Is.EqualTo(JsonValueKind.Null), $"report {report.Id}: {figure} must be absent, never 0 or a partial sum");
                }

                Assert.That(root.GetProperty("networks").EnumerateArray().Select(n => n.GetProperty("circulating").ValueKind), Is.All.EqualTo(JsonValueKind.Null),
                    $"report {report.Id}: no circulating figure for a network whose ledger is not proven");
                Assert.That(root.GetProperty("lastConclusive").GetProperty("reportId").GetInt64(), Is.EqualTo(lastCovered.Id), $"report {report.Id} carries the last conclusive result");
                Assert.That(root.GetProperty("lastConclusive").GetProperty("verdict").GetString(), Is.EqualTo("covered"));
            });
            since.Add(root.GetProperty("inconclusiveSince").GetString()!);
        }

        var (chainReports, anchor) = await new SqliteReconciliationStore(daemon.Store).GetChainAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(since, Has.Count.EqualTo(1), "one run of inconclusive reports, across the restart");
            Assert.That(ReportChain.Verify(chainReports, anchor), Is.Empty, "the chain with format-2 reports verifies");
        });
    }

    [Test]
    public async Task Run_UndercollateralizedThenFeedStale_AlertStaysFiringUntilConclusiveCovered()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_100_000_000_000); // 1,100,000 tokens against 1,000,000 USD
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        // The feed's budget is short so the test can let it go stale; a writer keeps it fresh until then.
        await using var daemon = await DaemonUnderTest.StartAsync(Network(node, token), 1_000_000m, feedStaleAfter: "00:00:15");
        using var fresh = new CancellationTokenSource();
        var keepFresh = KeepFreshAsync(daemon, 1_000_000m, fresh.Token);
        await using var prometheus = await ScrapeAsync(daemon, alertmanager);

        var (_, firing) = await webhook.WaitForAlertAsync("Usd1Undercollateralized", Long);
        Assert.That(firing.Annotations["description"], Does.Contain("shortfall of 100k USD"), "1,100,000 circulating against 1,000,000 reserves");

        await fresh.CancelAsync();
        await keepFresh;
        await webhook.WaitForAlertAsync("Usd1FeedStale", Long);
        await prometheus.WaitForAsync("usd1_reconciliation_verdict{verdict=\"inconclusive\"} == 1", r => r.Samples.Count == 1, Long);
        var inconclusiveFrom = (await ReportsAsync(daemon)).Count;
        // Several inconclusive reconciliations and rule evaluations past `for:`: time enough for a false resolve.
        await DaemonAlertingTests.WaitUntilAsync(async () => (await ReportsAsync(daemon)).Count >= inconclusiveFrom + 5, Long, "inconclusive reconciliations");
        await Task.Delay(RuleFor * 3, TimeProvider.System);

        var alerts = await prometheus.GetAlertsAsync();
        var active = alerts.EnumerateArray().Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "Usd1Undercollateralized").ToList();
        var page = VerdictSection(await daemon.GetAsync("/"));
        var all = await ReportsAsync(daemon);
        var latestInconclusive = all[^1];
        Assert.Multiple(() =>
        {
            Assert.That(latestInconclusive.Verdict, Is.EqualTo("inconclusive"));
            Assert.That(active.Select(a => a.GetProperty("state").GetString()), Is.EqualTo(new[] { "firing" }), "a stale feed is no recovery: the shortfall stays paged");
            Assert.That(active[0].GetProperty("annotations").GetProperty("description").GetString(),
                Does.Contain("Later reconciliations are inconclusive: inputs stale since"), "the page says since when the inputs are stale");
            Assert.That(webhook.Alerts.Where(a => a.Labels["alertname"] == "Usd1Undercollateralized" && a.Status == "resolved"), Is.Empty,
                "no resolve while inconclusive");
            Assert.That(page, Does.Contain("last conclusive: UNDERCOLLATERALIZED, shortfall 100,000.00 USD"));
        });

        // Reserves topped up and fresh again: a conclusive Covered resolves the page.
        using var freshAgain = new CancellationTokenSource();
        var keepFreshAgain = KeepFreshAsync(daemon, 1_200_000m, freshAgain.Token);
        try
        {
            var (_, resolved) = await webhook.WaitForAlertAsync("Usd1Undercollateralized", Long, status: "resolved");
            var reports = await ReportsAsync(daemon);
            Assert.That(reports.Any(r => r.Verdict == "covered" && r.Id > latestInconclusive.Id), Is.True, "resolved by a conclusive Covered reconciliation");
            Assert.That(resolved.Labels["instance"], Is.EqualTo(firing.Labels["instance"]));
        }
        finally
        {
            await freshAgain.CancelAsync();
            await keepFreshAgain;
        }
    }

    /// <summary>Rewrites the custodian file every 2 s with a new as-of time, so the feed stays within its 15 s budget.</summary>
    private static async Task KeepFreshAsync(DaemonUnderTest daemon, decimal reservesUsd, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await daemon.WriteReservesAsync(reservesUsd);
                await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose: from here the feed ages.
        }
    }
}
