using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// `usd1rec run` with no Alertmanager configured, against a real anvil: anomalies are raised and stored as not paged,
/// and nothing counts as pending — so Usd1AlertsUndelivered has nothing to fire on.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class NoAlertmanagerTests
{
    [Test]
    public async Task Run_AnomaliesRaisedWithoutAlertmanager_StoredNotPagedAndAlertsPendingStaysZero()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        var network = $$"""
            { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0,
              "PollInterval": "00:00:00.250",
              "Anomalies": { "MaxMint": "1000000000", "AllowedMinters": ["0x00000000000000000000000000000000000000aa"] } }
            """;
        await using var daemon = await DaemonUnderTest.StartAsync(network, 1_000_000m, """, "Alerting": { "Interval": "00:00:00.250" }""");

        var tx = await chain.MintAsync(token, EvmTestChain.Alice, 5_000_000_000); // over MaxMint, by a minter not allowed
        await DaemonAlertingTests.WaitUntilAsync(
            async () => (await daemon.GetAsync("/metrics")).Contains("usd1_anomalies_total{rule=\"OversizedMint\",network=\"anvil\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the oversized mint screened as an anomaly");
        // Several more screening and delivery rounds: nothing may pile up in the outbox.
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);

        var metrics = await daemon.GetAsync("/metrics");
        var anomalies = (await new SqliteAnomalyStore(daemon.Store).GetRecentAnomaliesAsync(10, CancellationToken.None)).Where(a => a.Anomaly.TransactionId == tx).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Contain("\nusd1_alerts_pending 0\n"), "no Alertmanager: nothing is waiting to be delivered");
            Assert.That(anomalies.Select(a => a.Anomaly.Rule.ToString()), Is.SupersetOf(new[] { "OversizedMint", "UnknownMinter" }));
            Assert.That(anomalies.Select(a => (a.PageState, a.PageNote)), Is.All.EqualTo(("unpaged", "not paged: no Alertmanager configured")));
        });
    }
}
