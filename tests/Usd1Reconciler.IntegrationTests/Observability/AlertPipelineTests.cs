using System.Diagnostics;
using System.Globalization;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Observability;

/// <summary>
/// The fixtures end to end with the repository's own rules: Prometheus scrapes a hand-written loopback /metrics page
/// (a few of the daemon's contract metrics), a rule fires, Alertmanager delivers it to the webhook receiver. Prints
/// the flip-to-webhook latencies (scrape and evaluation every 1 s, every rule's <c>for:</c> overridden to 0).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class AlertPipelineTests
{
    // Generous: scrape, evaluation and Alertmanager's group_wait each take about a second, more with both cores busy.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Alerts about the scrape itself, which a missed scrape trips whatever the page says.</summary>
    private static readonly string[] ScrapeHealthAlerts = ["Usd1DaemonAbsent", "Usd1DaemonDown"];

    /// <summary>A healthy daemon's page, except for the coverage ratio given.</summary>
    private static string Exposition(double coverage) => string.Create(CultureInfo.InvariantCulture, $$"""
        # HELP usd1_coverage_ratio Eligible reserves divided by circulating supply (1 = 100%).
        # TYPE usd1_coverage_ratio gauge
        usd1_coverage_ratio {{coverage}}
        # HELP usd1_coverage_minimum_ratio Configured minimum coverage ratio.
        # TYPE usd1_coverage_minimum_ratio gauge
        usd1_coverage_minimum_ratio 1
        # HELP usd1_reconciliation_verdict 1 for the latest reconciliation verdict, 0 for the others.
        # TYPE usd1_reconciliation_verdict gauge
        usd1_reconciliation_verdict{verdict="covered"} 1
        usd1_reconciliation_verdict{verdict="undercollateralized"} 0
        usd1_reconciliation_verdict{verdict="inconclusive"} 0
        # HELP usd1_reconciliation_last_timestamp_seconds Unix time the latest reconciliation finished.
        # TYPE usd1_reconciliation_last_timestamp_seconds gauge
        usd1_reconciliation_last_timestamp_seconds {{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}}
        # HELP usd1_supply_tokens Supply per network and kind, in tokens (1 token = 1 USD).
        # TYPE usd1_supply_tokens gauge
        usd1_supply_tokens{network="anvil",kind="onchain"} 1000000
        usd1_supply_tokens{network="anvil",kind="indexed"} 1000000
        usd1_supply_tokens{network="anvil",kind="circulating"} 1000000
        # HELP usd1_network_stale 1 when the network has no successful index pass within its freshness budget.
        # TYPE usd1_network_stale gauge
        usd1_network_stale{network="anvil"} 0
        # HELP usd1_rpc_endpoints_healthy RPC endpoints of the network that answered their last request.
        # TYPE usd1_rpc_endpoints_healthy gauge
        usd1_rpc_endpoints_healthy{network="anvil"} 1
        # HELP usd1_deep_reorgs_total Reorgs below finality refused.
        # TYPE usd1_deep_reorgs_total counter
        usd1_deep_reorgs_total{network="anvil"} 0
        # HELP usd1_alerts_pending Anomaly alerts not yet accepted by Alertmanager.
        # TYPE usd1_alerts_pending gauge
        usd1_alerts_pending 0

        """);

    private static async Task<(WebhookReceiver Webhook, AlertmanagerServer Alertmanager, MetricsEndpoint Metrics, PrometheusServer Prometheus)> StartAsync()
    {
        var webhook = WebhookReceiver.Start();
        var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        var metrics = MetricsEndpoint.Start(Exposition(coverage: 1.05));
        var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            Targets = [metrics.Url],
            RuleFiles = [RepoPaths.PrometheusRules],
            Alertmanager = alertmanager.Url,
            RuleForOverride = TimeSpan.Zero,
        });
        await prometheus.WaitForAsync("usd1_coverage_ratio", r => r.Samples.Count == 1 && r.Single == 1.05, Timeout);
        return (webhook, alertmanager, metrics, prometheus);
    }

    [Test]
    public async Task CoverageDropsBelowMinimum_ScrapedByPrometheus_WebhookGetsFiringThenResolved()
    {
        var (webhook, alertmanager, metrics, prometheus) = await StartAsync();
        await using (webhook)
        await using (alertmanager)
        await using (metrics)
        await using (prometheus)
        {
            var flipped = Stopwatch.GetTimestamp();
            metrics.Set(Exposition(coverage: 0.95));
            var (firing, alert) = await webhook.WaitForAlertAsync("Usd1CoverageBelowMinimum", Timeout);
            var fireLatency = Stopwatch.GetElapsedTime(flipped, firing.ReceivedTimestamp);

            var restored = Stopwatch.GetTimestamp();
            metrics.Set(Exposition(coverage: 1.05));
            var (resolved, _) = await webhook.WaitForAlertAsync("Usd1CoverageBelowMinimum", Timeout, status: "resolved");
            var resolveLatency = Stopwatch.GetElapsedTime(restored, resolved.ReceivedTimestamp);

            Assert.Multiple(() =>
            {
                Assert.That(alert.Labels["severity"], Is.EqualTo("page"));
                Assert.That(alert.Labels["job"], Is.EqualTo("usd1rec"));
                Assert.That(alert.Labels["instance"], Is.EqualTo(metrics.Url.Authority));
                Assert.That(alert.Annotations["description"], Does.Contain("cover 95% of the circulating supply (minimum 100%)"),
                    "the description's template queries the minimum from the same instance");
                Assert.That(alert.Annotations["runbook_url"], Does.EndWith("/docs/runbooks/Usd1CoverageBelowMinimum.md"));
                // The rest of the healthy page must not trip another rule about what it says. Usd1DaemonAbsent and
                // Usd1DaemonDown are left out: they judge whether Prometheus could scrape (a rule evaluated before the
                // first scrape, or a scrape over its 1 s timeout on a busy machine, trips them with for: 0), not the page.
                Assert.That(webhook.Alerts.Select(a => a.Labels["alertname"]).Where(name => !ScrapeHealthAlerts.Contains(name)).Distinct(),
                    Is.EqualTo(new[] { "Usd1CoverageBelowMinimum" }),
                    "the rest of the healthy page must not trip any other rule");
            });
            TestContext.Out.WriteLine($"metric flip -> webhook firing: {fireLatency.TotalMilliseconds:F0} ms; restore -> webhook resolved: {resolveLatency.TotalMilliseconds:F0} ms");
        }
    }

    [Test]
    public async Task MetricsEndpointStops_UpIsZero_DaemonDownDelivered()
    {
        var (webhook, alertmanager, metrics, prometheus) = await StartAsync();
        await using (webhook)
        await using (alertmanager)
        await using (prometheus)
        {
            var stopped = Stopwatch.GetTimestamp();
            await metrics.DisposeAsync();
            var (down, alert) = await webhook.WaitForAlertAsync("Usd1DaemonDown", Timeout);

            Assert.That(alert.Labels["instance"], Is.EqualTo(metrics.Url.Authority));
            TestContext.Out.WriteLine($"endpoint stopped -> webhook Usd1DaemonDown: {Stopwatch.GetElapsedTime(stopped, down.ReceivedTimestamp).TotalMilliseconds:F0} ms");
        }
    }

    [Test]
    public async Task AlertmanagerDownWhileFiring_RestartedOnSamePort_AlertDeliveredOnce()
    {
        var (webhook, alertmanager, metrics, prometheus) = await StartAsync();
        await using (webhook)
        await using (alertmanager)
        await using (metrics)
        await using (prometheus)
        {
            await alertmanager.StopAsync();
            metrics.Set(Exposition(coverage: 0.5));
            await prometheus.WaitForAsync("ALERTS{alertname=\"Usd1CoverageBelowMinimum\", alertstate=\"firing\"}", r => r.Samples.Count == 1, Timeout);

            var restarted = Stopwatch.GetTimestamp();
            await alertmanager.RestartAsync();
            var (firing, _) = await webhook.WaitForAlertAsync("Usd1CoverageBelowMinimum", Timeout);
            var latency = Stopwatch.GetElapsedTime(restarted, firing.ReceivedTimestamp);
            await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System); // Prometheus keeps re-sending every second

            Assert.That(webhook.Alerts.Count(a => a.Labels["alertname"] == "Usd1CoverageBelowMinimum" && a.Status == "firing"), Is.EqualTo(1),
                "Alertmanager deduplicates Prometheus' re-sends of the same firing alert");
            TestContext.Out.WriteLine($"Alertmanager restart -> webhook firing: {latency.TotalMilliseconds:F0} ms");
        }
    }
}
