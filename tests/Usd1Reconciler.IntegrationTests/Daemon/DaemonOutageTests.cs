using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>What `usd1rec run` shows while its only RPC endpoint is gone: stale, never "all good".</summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonOutageTests
{
    [Test]
    public async Task Run_OnlyEndpointDies_NetworkStaleEverywhereAndVerdictInconclusive()
    {
        var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_000_000);
        var network = $$"""
            { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0,
              "PollInterval": "00:00:00.250", "RequestTimeout": "00:00:02" }
            """;
        await using var daemon = await DaemonUnderTest.StartAsync(network, 1_000_000m);
        await DaemonAlertingTests.WaitUntilAsync(async () => (await daemon.GetAsync("/metrics")).Contains("usd1_reconciliation_verdict{verdict=\"covered\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "a covered verdict while the node answers");
        Assert.That(await daemon.GetAsync("/metrics"), Does.Contain("usd1_network_stale{network=\"anvil\"} 0"));

        await node.DisposeAsync();

        await DaemonAlertingTests.WaitUntilAsync(async () => (await daemon.GetAsync("/metrics")).Contains("usd1_network_stale{network=\"anvil\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the network marked stale from the first failed pass, well before its 10-minute StaleAfter");
        var metrics = await daemon.GetAsync("/metrics");
        Assert.That(metrics, Does.Contain("usd1_ledger_proof_status{network=\"anvil\",status=\"stale\"} 1"));
        Assert.That(metrics, Does.Contain("usd1_rpc_endpoints_healthy{network=\"anvil\"} 0"), "the all-endpoints-failing alert reads this");
        await DaemonAlertingTests.WaitUntilAsync(async () => (await daemon.GetAsync("/metrics")).Contains("usd1_reconciliation_verdict{verdict=\"inconclusive\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "reconciliation Inconclusive while a network is stale — never Covered on stale data");
        var page = await daemon.GetAsync("/");
        Assert.That(page, Does.Contain(">STALE<").And.Contain("failing since").And.Contain("INCONCLUSIVE"));
    }
}
