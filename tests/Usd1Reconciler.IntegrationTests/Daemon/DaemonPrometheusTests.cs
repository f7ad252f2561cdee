using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// The shipped Prometheus rules and Grafana dashboard against a real Prometheus scraping the real daemon: every panel
/// query returns data, and a mint past the reserves reaches the pager through the coverage alerts.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonPrometheusTests
{
    [Test]
    public async Task Dashboard_EveryPanelQuery_ReturnsDataFromTheDaemon_AndMintPastReservesPages()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 600_000_000_000); // 600,000 tokens
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        var network = $$"""
            { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0, "PollInterval": "00:00:00.250" }
            """;
        await using var daemon = await DaemonUnderTest.StartAsync(network, 1_000_000m);
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            Targets = [new Uri(daemon.Url, "/metrics")],
            RuleFiles = [RepoPaths.PrometheusRules],
            Alertmanager = alertmanager.Url,
            RuleForOverride = TimeSpan.Zero,
        });
        await prometheus.WaitForAsync("usd1_reconciliation_verdict{verdict=\"covered\"}", r => r.Samples.Count == 1 && r.Single == 1, TimeSpan.FromSeconds(40));

        // rate() and increase() need two samples in their window: let a few scrapes land first.
        await prometheus.WaitForAsync("count_over_time(up{job=\"usd1rec\"}[1m])", r => r.Samples.Count == 1 && r.Single >= 3, TimeSpan.FromSeconds(20));
        var dashboard = GrafanaDashboard.Load(RepoPaths.GrafanaDashboard);
        var empty = new List<string>();
        // Prometheus' own ALERTS series exists only while an alert is pending or firing: those panels are proven
        // below, once the mint past the reserves has an alert firing.
        var alertQueries = dashboard.Queries.Where(q => q.Expr.Contains("ALERTS", StringComparison.Ordinal) && !q.Expr.Contains("vector(0)", StringComparison.Ordinal)).ToList();
        Assert.That(alertQueries, Is.Not.Empty, "the dashboard shows alert state");
        foreach (var query in dashboard.Queries.Except(alertQueries))
        {
            var result = await prometheus.QueryAsync(query.Expanded);
            if (result.Samples.Count == 0)
            {
                empty.Add(query.ToString());
            }
        }

        Assert.That(empty, Is.Empty, "every dashboard panel must show data from a running daemon:\n" + string.Join("\n", empty));

        // 600,000 + 500,000 = 1,100,000 tokens against 1,000,000 USD of reserves.
        await chain.MintAsync(token, EvmTestChain.Alice, 500_000_000_000);
        var (_, alert) = await webhook.WaitForAlertAsync("Usd1Undercollateralized", TimeSpan.FromSeconds(60));
        Assert.That(alert.Labels["severity"], Is.EqualTo("page"));
        Assert.That(alert.Annotations["runbook_url"], Does.Contain("Usd1Undercollateralized"));
        await webhook.WaitForAlertAsync("Usd1CoverageBelowMinimum", TimeSpan.FromSeconds(30));
        foreach (var query in alertQueries)
        {
            var result = await prometheus.QueryAsync(query.Expanded);
            Assert.That(result.Samples, Is.Not.Empty, $"with alerts firing, the alert-state panel shows them: {query}");
        }

        var firing = await prometheus.QueryAsync(dashboard.Queries.Single(q => q.PanelTitle == "Alerts firing").Expanded);
        Assert.That(firing.Single, Is.GreaterThanOrEqualTo(2), "Usd1Undercollateralized and Usd1CoverageBelowMinimum fire");
        var shortfall = await prometheus.QueryAsync("usd1_reconciliation_shortfall_usd");
        Assert.That(shortfall.Single, Is.EqualTo(100_000).Within(0.001), "1,100,000 circulating against 1,000,000 reserves at a 100% minimum");
    }
}
