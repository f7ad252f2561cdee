using System.Diagnostics;
using System.Net;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// `usd1rec run`'s /readyz through an RPC outage: a real anvil behind the <see cref="FaultProxy"/>, which answers
/// HTTP 503 for a while. Ready before, 503 naming the network and the cause during, ready again after.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonReadinessTests
{
    [Test]
    public async Task Readyz_OnlyEndpointAnswers503ThenRecovers_503NamingNetworkAndCauseThen200()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_000_000);
        await using var proxy = await FaultProxy.StartAsync(node.Url);
        var network = $$"""
            { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{proxy.Url}}"], "Token": "{{token}}", "Confirmations": 0,
              "PollInterval": "00:00:00.250", "RequestTimeout": "00:00:02", "CircuitBreak": "00:00:05" }
            """;
        await using var daemon = await DaemonUnderTest.StartAsync(network, 1_000_000m);
        using var http = new HttpClient();

        await DaemonAlertingTests.WaitUntilAsync(async () => (await ReadyzAsync(http, daemon)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60),
            "/readyz 200 once the network is indexed");

        var outage = Stopwatch.StartNew();
        proxy.Always(FaultKind.ServerError);
        (HttpStatusCode Status, string Body) down = default;
        await DaemonAlertingTests.WaitUntilAsync(async () =>
            {
                down = await ReadyzAsync(http, daemon);
                return down.Status == HttpStatusCode.ServiceUnavailable
                    && down.Body.Contains("no usable RPC endpoint", StringComparison.Ordinal)
                    && down.Body.Contains("index passes failing since", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(60), "/readyz 503 naming both the dead endpoint and the failing passes");
        TestContext.Out.WriteLine($"outage -> /readyz 503: {outage.Elapsed.TotalSeconds:0.0} s\n{down.Body}");

        Assert.Multiple(() =>
        {
            Assert.That(down.Body, Does.Contain("\"ready\":false"));
            Assert.That(down.Body, Does.Contain("network anvil: no usable RPC endpoint: http://127.0.0.1:"), "names the network and the endpoint by scheme/host/port");
            Assert.That(down.Body, Does.Contain("circuit open until"), "says when the endpoint is tried again");
            Assert.That(down.Body, Does.Contain("HTTP 503"), "the last real cause, as the node answered it");
            Assert.That(down.Body, Does.Contain("network anvil: index passes failing since").And.Contain(": network 'anvil': "),
                "the stored reason of the failing passes, readable (no \\u0027 escapes)");
            Assert.That(down.Body, Does.Not.Contain("0 attempt(s) at 0 endpoint(s)"), "a failure message always carries its cause");
            Assert.That(down.Body, Does.Not.Contain("SECRET"), "the endpoint's path and query (API keys) never appear");
        });

        // Stays unready for the whole outage, not just until the circuit's first break ends (5 s here): past two breaks,
        // so at least one half-open trial call has failed again.
        await Task.Delay(TimeSpan.FromSeconds(12), TimeProvider.System);
        var still = await ReadyzAsync(http, daemon);
        Assert.That(still.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "still down after the circuit's break: the trial call failed again\n" + still.Body);
        Assert.That(still.Body, Does.Contain("network anvil").And.Contain("HTTP 503"));

        var recovery = Stopwatch.StartNew();
        proxy.Always(FaultKind.None);
        await DaemonAlertingTests.WaitUntilAsync(async () => (await ReadyzAsync(http, daemon)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(90),
            "/readyz 200 again after the endpoint answers (next trial after the 5 s break, then a successful pass)");
        TestContext.Out.WriteLine($"endpoint back -> /readyz 200: {recovery.Elapsed.TotalSeconds:0.0} s");
        Assert.That((await ReadyzAsync(http, daemon)).Body, Does.Contain("\"ready\":true").And.Contain("\"waiting\":[]"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadyzAsync(HttpClient http, DaemonUnderTest daemon)
    {
        using var response = await http.GetAsync(new Uri(daemon.Url, "/readyz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
