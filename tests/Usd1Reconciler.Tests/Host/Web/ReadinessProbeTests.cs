using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

/// <summary>/readyz: not ready while a network is unindexed, its passes fail, or none of its endpoints is usable — each line naming the network and the cause.</summary>
public sealed class ReadinessProbeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static NetworkSupply Indexed(string name, DateTimeOffset? failingSince = null, string? reason = null) =>
        new(1, name, NetworkKind.Evm, 0, 0, 0, 0, 0, 0, 10, 10, Now, 0, null) { FailingSince = failingSince, FailingReason = reason };

    private static EndpointHealth Endpoint(string network, string label, EndpointState state, int consecutiveFailures = 0, string? error = null, DateTimeOffset? restUntil = null, string? untrusted = null) =>
        new(network, label, state, consecutiveFailures, error, null, error is null ? null : Now.AddSeconds(-5), restUntil, untrusted, 10, consecutiveFailures);

    [Test]
    public void Evaluate_IndexedPassingAndOneHealthyEndpoint_Ready()
    {
        var report = ReadinessProbe.Evaluate(
            ["eth"], [Indexed("eth")],
            [Endpoint("eth", "http://a:8545", EndpointState.Open, 3, "HTTP 503 Service Unavailable", Now.AddSeconds(20)), Endpoint("eth", "http://b:8545", EndpointState.Healthy)], 3);

        Assert.That(report.Ready, Is.True, "one usable endpoint of two is enough: the secondary serves");
        Assert.That(report.Waiting, Is.Empty);
    }

    [Test]
    public void Evaluate_EveryCircuitOpen_NotReadyNamingNetworkEndpointsAndCause()
    {
        var report = ReadinessProbe.Evaluate(
            ["eth", "sol"], [Indexed("eth"), Indexed("sol")],
            [
                Endpoint("eth", "http://a:8545", EndpointState.Open, 3, "HTTP 503 Service Unavailable", Now.AddSeconds(20)),
                Endpoint("eth", "http://b:8545", EndpointState.Untrusted, untrusted: "reports chain id 5, configured ChainId is 1"),
                Endpoint("sol", "http://c:8899", EndpointState.Healthy),
            ], 3);

        Assert.That(report.Ready, Is.False);
        Assert.That(report.Waiting, Is.EqualTo(new[]
        {
            "network eth: no usable RPC endpoint: http://a:8545 circuit open until 2026-12-01T10:00:20Z, last failure at 2026-12-01T09:59:55Z: HTTP 503 Service Unavailable; "
                + "http://b:8545 not trusted: reports chain id 5, configured ChainId is 1",
        }), "only the network without an endpoint is named; the other is fine");
    }

    [Test]
    public void Evaluate_BreakOverButTrialNotAnswered_StillNotUsable()
    {
        var report = ReadinessProbe.Evaluate(["eth"], [Indexed("eth")], [Endpoint("eth", "http://a:8545", EndpointState.Degraded, 4, "Connection refused (a:8545)")], 3);

        Assert.That(report.Ready, Is.False, "an endpoint that has only failed since its break ended has not recovered: no flicker to ready between trials");
        Assert.That(report.Waiting.Single(), Does.Contain("4 failure(s) in a row").And.Contain("Connection refused (a:8545)"));
    }

    [Test]
    public void Evaluate_OneFailureBelowTheCircuitThreshold_StillReady()
    {
        var report = ReadinessProbe.Evaluate(["eth"], [Indexed("eth")], [Endpoint("eth", "http://a:8545", EndpointState.Degraded, 1, "no answer within 30 s")], 3);

        Assert.That(report.Ready, Is.True, "one lost packet is retried, not an outage");
    }

    [Test]
    public void Evaluate_PassesFailingInStoreAfterRestart_NotReadyWithSinceAndReason()
    {
        // After a restart during an outage the endpoints have not been asked yet (healthy as far as the client knows);
        // the store still says the passes fail.
        var since = Now.AddMinutes(-7);
        var report = ReadinessProbe.Evaluate(
            ["eth"], [Indexed("eth", since, "network 'eth': endpoint check failed: no endpoint could be asked — endpoints: http://a:8545 circuit open …")],
            [Endpoint("eth", "http://a:8545", EndpointState.Healthy)], 3);

        Assert.That(report.Ready, Is.False);
        Assert.That(report.Waiting.Single(), Does.StartWith("network eth: index passes failing since 2026-12-01T09:53:00Z: network 'eth': endpoint check failed"));
    }

    [Test]
    public void Evaluate_NetworkNeverIndexed_NotReady()
    {
        var report = ReadinessProbe.Evaluate(["eth", "sol"], [Indexed("eth")], [], 3);

        Assert.That(report.Waiting, Is.EqualTo(new[] { "network sol: not indexed yet" }));
    }
}
