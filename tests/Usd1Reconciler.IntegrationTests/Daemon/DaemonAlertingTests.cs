using System.Diagnostics;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// `usd1rec run` against a real anvil and a real Alertmanager delivering to a webhook: what an on-call engineer would
/// receive, and when.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonAlertingTests
{
    private static string Network(AnvilNode node, string token, string maxMint = "1000000000") => $$"""
        { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0,
          "PollInterval": "00:00:00.250",
          "Anomalies": { "MaxMint": "{{maxMint}}", "AllowedMinters": ["0x00000000000000000000000000000000000000aa"], "ExplorerTxUrl": "https://explorer.example/tx/{tx}" } }
        """;

    private static string Alerting(AlertmanagerServer alertmanager) => $$"""
        , "Alerting": { "AlertmanagerUrls": ["{{alertmanager.Url}}"], "Interval": "00:00:00.250", "ResolveAfter": "00:00:04", "Cooldown": "00:00:00" }
        """;

    [Test]
    public async Task Run_OversizedMintByUnknownMinter_PagesWithTxExplorerAndRunbookThenResolves()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        await using var daemon = await DaemonUnderTest.StartAsync(Network(node, token), 1_000_000m, Alerting(alertmanager));

        var clock = Stopwatch.StartNew();
        var tx = await chain.MintAsync(token, EvmTestChain.Alice, 5_000_000_000); // 5,000 tokens, limit 1,000
        var (notification, alert) = await webhook.WaitForAlertAsync("OversizedMint", TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine($"mint tx -> webhook (OversizedMint): {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(alert.Labels["tx"], Is.EqualTo(tx), "the page names the transaction");
            Assert.That(alert.Labels["network"], Is.EqualTo("anvil"));
            Assert.That(alert.Labels["severity"], Is.EqualTo("page"));
            Assert.That(alert.Annotations["summary"], Does.StartWith("mint of 5,000 USD1 above the limit 1,000 USD1").And.Contain(tx), "token units with the configured symbol (issue 16)");
            Assert.That(alert.Annotations["description"], Does.Contain("(5000000000 base units)"), "the exact base units stay in the description");
            Assert.That(alert.Annotations["amount"], Is.EqualTo("5000000000"), "and in the amount annotation");
            Assert.That(alert.Annotations["explorer"], Is.EqualTo($"https://explorer.example/tx/{tx}"));
            Assert.That(alert.Annotations["runbook_url"], Does.EndWith("docs/runbooks/OversizedMint.md"));
            Assert.That(alert.Annotations["actor"], Is.EqualTo(EvmTestChain.Deployer));
        });
        await webhook.WaitForAlertAsync("UnknownMinter", TimeSpan.FromSeconds(10), where: a => a.Labels.GetValueOrDefault("tx") == tx);

        await webhook.WaitForAlertAsync("OversizedMint", TimeSpan.FromSeconds(30), status: "resolved", where: a => a.Labels.GetValueOrDefault("tx") == tx);
        Assert.That(notification.Alerts, Is.Not.Empty);
    }

    [Test]
    public async Task Run_AlertmanagerDownWhileAnomalyFires_PageArrivesExactlyOnceWhenItIsBack()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        await alertmanager.StopAsync();
        await using var daemon = await DaemonUnderTest.StartAsync(Network(node, token), 1_000_000m, Alerting(alertmanager));

        var tx = await chain.MintAsync(token, EvmTestChain.Alice, 7_000_000_000);
        await WaitUntilAsync(async () => (await daemon.GetAsync("/metrics")).Contains("usd1_alerts_pending 2", StringComparison.Ordinal), TimeSpan.FromSeconds(20),
            "both pages (oversized, unknown minter) must wait in the outbox while Alertmanager is down");

        await alertmanager.RestartAsync();
        await webhook.WaitForAlertAsync("OversizedMint", TimeSpan.FromSeconds(40), where: a => a.Labels.GetValueOrDefault("tx") == tx);
        await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System);

        var firing = webhook.Alerts.Where(a => a.Status == "firing" && a.Labels.GetValueOrDefault("alertname") == "OversizedMint").ToList();
        Assert.That(firing, Has.Count.EqualTo(1), "the delayed page arrives, once");
        Assert.That((await daemon.GetAsync("/metrics")).Contains("usd1_alerts_pending 0", StringComparison.Ordinal), Is.True, "the outbox drains once Alertmanager accepts");
    }

    [Test]
    public async Task Run_Endpoints_StatusPageAndMetricsShowTheStoresFigures()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_500_000);
        await using var daemon = await DaemonUnderTest.StartAsync(Network(node, token), 1_000_000m);

        await WaitUntilAsync(async () => (await daemon.GetAsync("/")).Contains("COVERED", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a covered verdict on the status page");
        Assert.That(await daemon.GetAsync("/healthz"), Is.EqualTo("ok\n"));
        Assert.That(await daemon.GetAsync("/readyz"), Does.Contain("\"ready\":true"));

        var supply = (await daemon.Store.GetSupplyAsync(CancellationToken.None)).Single();
        var page = await daemon.GetAsync("/");
        var tokens = new Usd1Reconciler.Core.Presentation.TokenFormat(supply.Token?.Decimals, "USD1");
        Assert.That(page, Does.Contain($"data-figure=\"indexed:anvil\">{tokens.Format(supply.IndexedSupply)}</td>").And.Contain("2.5 USD1"), "the status page shows the store's indexed supply, in tokens");
        Assert.That(page, Does.Contain($"data-figure=\"onchain:anvil\">{tokens.Format(supply.LatestProof!.OnchainSupply)}</td>"));

        var metrics = await daemon.GetAsync("/metrics");
        Assert.That(metrics, Does.Contain("usd1_supply_tokens{network=\"anvil\",kind=\"indexed\"} 2.5"), "2,500,000 base units of a 6-decimal token");
        Assert.That(metrics, Does.Contain("usd1_ledger_proof_status{network=\"anvil\",status=\"ok\"} 1"));
        Assert.That(metrics, Does.Contain("usd1_reconciliation_verdict{verdict=\"covered\"} 1"));
        Assert.That(metrics, Does.Contain("usd1_reserves_usd{custodian=\"Bank A\",asset_class=\"cash\"} 1000000"));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
