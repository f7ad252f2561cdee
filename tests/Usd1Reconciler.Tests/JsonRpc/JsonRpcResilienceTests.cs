using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Tests.Support;

namespace Usd1Reconciler.Tests.JsonRpc;

/// <summary>Per-endpoint health: backoff with jitter, circuit breaker, Retry-After, trust, return to the primary.</summary>
public sealed class JsonRpcResilienceTests
{
    private const string Ok = """{"jsonrpc":"2.0","id":"ID","result":"0x1"}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private JsonRpcClient Client(RecordedReplyHandler handler, RpcResilienceOptions options, double jitter = 0.5, params string[] hosts) =>
        new(new HttpClient(handler), "testnet", hosts.Select(h => new Uri($"http://{h}:8545/key/SECRET")).ToList(), TimeSpan.FromSeconds(5),
            NullLogger.Instance, options, _time, () => jitter);

    private static RecordedReplyHandler Failing(RecordedReplyHandler handler, string host, int times, HttpStatusCode status = HttpStatusCode.BadGateway)
    {
        for (var i = 0; i < times; i++)
        {
            handler.Reply(host, "down", status);
        }

        return handler;
    }

    /// <summary>How messages print a rest's end: UTC, rounded up to the second (never earlier than the real one).</summary>
    private static string SecondUp(DateTimeOffset at)
    {
        var fraction = at.Ticks % TimeSpan.TicksPerSecond;
        var up = fraction == 0 ? at : at.AddTicks(TimeSpan.TicksPerSecond - fraction);
        return up.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Asked(RecordedReplyHandler handler, string host) => handler.Requests.Count(r => r.StartsWith(host + " ", StringComparison.Ordinal));

    [Test]
    public async Task CallAsync_PrimaryFailsOnce_SecondaryServesUntilPrimaryRestIsOver()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 1).Reply("b", Ok).Reply("b", Ok).Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.NoRetry, 0.5, "a", "b");

        await client.CallAsync("eth_blockNumber", [], CancellationToken.None);
        await client.CallAsync("eth_blockNumber", [], CancellationToken.None);
        Assert.That(Asked(handler, "a"), Is.EqualTo(1), "a resting primary is not asked again before its backoff ends");

        _time.Advance(TimeSpan.FromSeconds(1));
        await client.CallAsync("eth_blockNumber", [], CancellationToken.None);

        Assert.That(Asked(handler, "a"), Is.EqualTo(2), "once its rest is over the primary is asked first again");
        Assert.That(client.GetEndpointHealth()[0].State, Is.EqualTo(EndpointState.Healthy), "an answer heals the endpoint");
    }

    [TestCase(0.0, 125)]
    [TestCase(1.0, 250)]
    public void CallAsync_FirstFailure_RestIsHalfFixedHalfJitteredBackoff(double jitter, int expectedMs)
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 1);
        var client = Client(handler, RpcResilienceOptions.NoRetry, jitter, "a");

        Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));

        var health = client.GetEndpointHealth().Single();
        Assert.That(health.RestUntil - _time.GetUtcNow(), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)),
            "equal jitter: half of the 250 ms first step is fixed, the other half scales with the injected random number");
        Assert.That(health.State, Is.EqualTo(EndpointState.Degraded));
    }

    [Test]
    public async Task CallAsync_ThreeFailuresInARow_CircuitOpensThenHalfOpenTrialHeals()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 3).Reply("a", Ok);
        var options = RpcResilienceOptions.NoRetry with { BreakDuration = TimeSpan.FromSeconds(30) };
        var client = Client(handler, options, 1.0, "a");
        for (var i = 0; i < 3; i++)
        {
            Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        var open = client.GetEndpointHealth().Single();
        Assert.That((open.State, open.ConsecutiveFailures), Is.EqualTo((EndpointState.Open, 3)), "three failures in a row open the circuit");
        var skipped = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));
        Assert.That(skipped!.Message, Does.Contain("circuit open"), "an open circuit fails fast and says so");
        Assert.That(Asked(handler, "a"), Is.EqualTo(3), "an open circuit is not asked");

        _time.Advance(TimeSpan.FromSeconds(30));
        await client.CallAsync("eth_blockNumber", [], CancellationToken.None);
        Assert.That(client.GetEndpointHealth().Single().State, Is.EqualTo(EndpointState.Healthy), "the half-open trial answered, so the circuit closes");
    }

    [Test]
    public async Task CallAsync_429WithRetryAfter_EndpointRestsThatLongWithoutMovingTowardTheBreaker()
    {
        var handler = new RecordedReplyHandler().Enqueue("a", _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(20));
            return response;
        }).Reply("b", Ok).Reply("b", Ok).Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.Default, 0.5, "a", "b");

        await client.CallAsync("eth_getLogs", [], CancellationToken.None);
        var limited = client.GetEndpointHealth()[0];
        Assert.That((limited.State, limited.ConsecutiveFailures), Is.EqualTo((EndpointState.RateLimited, 0)), "429 is flow control, not a fault");
        Assert.That(limited.RestUntil, Is.EqualTo(_time.GetUtcNow() + TimeSpan.FromSeconds(20)), "Retry-After is honoured to the second");

        _time.Advance(TimeSpan.FromSeconds(19));
        await client.CallAsync("eth_getLogs", [], CancellationToken.None);
        Assert.That(Asked(handler, "a"), Is.EqualTo(1), "not asked before Retry-After has passed");
        _time.Advance(TimeSpan.FromSeconds(1));
        await client.CallAsync("eth_getLogs", [], CancellationToken.None);
        Assert.That(Asked(handler, "a"), Is.EqualTo(2), "asked again, first, once it has");
    }

    [Test]
    public async Task CallAsync_RetryAfterWithinMaxWait_SingleEndpointCallWaitsAndSucceeds()
    {
        var handler = new RecordedReplyHandler().Enqueue("a", _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(50));
            return response;
        }).Reply("a", Ok);
        var client = new JsonRpcClient(new HttpClient(handler), "testnet", [new Uri("http://a:8545")], TimeSpan.FromSeconds(5), NullLogger.Instance);

        var result = await client.CallAsync("eth_chainId", [], CancellationToken.None);

        Assert.That(result.GetString(), Is.EqualTo("0x1"), "a short Retry-After is waited out inside the call instead of failing the pass");
    }

    [Test]
    public void CallAsync_RetryAfterBeyondMaxWait_FailsFastNamingTheRateLimit()
    {
        var handler = new RecordedReplyHandler().Enqueue("a", _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(5));
            return response;
        });
        var client = Client(handler, RpcResilienceOptions.Default, 0.5, "a");

        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("HTTP 429").And.Contain("rate limited"), "the pass reports the outage instead of hanging for five minutes");
        Assert.That(ex.Message, Does.Not.Contain("SECRET"), "the URL path never reaches a message");
    }

    [Test]
    public async Task CallAsync_TransientFailuresOnOnlyEndpoint_RetriedWithBackoffWithinOneCall()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 2).Reply("a", Ok);
        var options = RpcResilienceOptions.Default with { BaseBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) };
        var client = new JsonRpcClient(new HttpClient(handler), "testnet", [new Uri("http://a:8545")], TimeSpan.FromSeconds(5), NullLogger.Instance, options);

        var result = await client.CallAsync("eth_chainId", [], CancellationToken.None);

        Assert.That(result.GetString(), Is.EqualTo("0x1"), "three rounds: two 502s are ridden out");
        Assert.That(Asked(handler, "a"), Is.EqualTo(3));
    }

    [Test]
    public async Task BatchEndpointAsync_OneTransientFailure_RetriedOnTheSameEndpoint()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 1).Reply("a", Ok);
        var options = RpcResilienceOptions.Default with { BaseBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) };
        var client = new JsonRpcClient(new HttpClient(handler), "testnet", [new Uri("http://a:8545")], TimeSpan.FromSeconds(5), NullLogger.Instance, options);

        var result = await client.CallEndpointAsync(client.Endpoints[0], "eth_chainId", [], CancellationToken.None);

        Assert.That(result.GetString(), Is.EqualTo("0x1"), "a per-endpoint probe rides out one 502 instead of failing the pass (found by the kill test)");
        Assert.That(Asked(handler, "a"), Is.EqualTo(2));
    }

    [Test]
    public async Task CallAsync_ReaderRejectsReply_FailsOverAndLabelsTheEndpointThatSentIt()
    {
        var handler = new RecordedReplyHandler()
            .Reply("a", """{"jsonrpc":"2.0","id":"ID","result":"1"}""")
            .Reply("b", Ok);
        var client = Client(handler, RpcResilienceOptions.NoRetry, 0.5, "a", "b");

        var value = await client.CallAsync("eth_chainId", [], r => r.GetString()!.StartsWith("0x", StringComparison.Ordinal) ? r.GetString() : throw new FormatException("hex without 0x"), CancellationToken.None);

        Assert.That(value, Is.EqualTo("0x1"), "a malformed answer is a failure of that endpoint, and the next one is asked");
        var a = client.GetEndpointHealth()[0];
        Assert.That(a.LastError, Does.Contain("hex without 0x"));
        Assert.That(a.Endpoint, Is.EqualTo("http://a:8545"));
    }

    [Test]
    public void CallAsync_EveryEndpointUntrusted_UnavailableNamingWhy()
    {
        var handler = new RecordedReplyHandler().Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.Default, 0.5, "a");
        client.MarkUntrusted(client.Endpoints[0], "reports chain id 5");

        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("not trusted: reports chain id 5"));
        Assert.That(handler.Requests, Is.Empty, "an untrusted endpoint is never used for data");
        Assert.That(client.GetEndpointHealth().Single().State, Is.EqualTo(EndpointState.Untrusted));
        Assert.That(client.HasUsableEndpoint, Is.False);
    }

    [Test]
    public void CallAsync_413PayloadTooLarge_ReturnedAtOnceAndNotCountedAgainstTheEndpoint()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 1, HttpStatusCode.RequestEntityTooLarge);
        var client = Client(handler, RpcResilienceOptions.Default, 0.5, "a", "b");

        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_getLogs", [], CancellationToken.None));

        Assert.That(ex!.Failures.Single(), Is.InstanceOf<RpcTransportException>().With.Property(nameof(RpcTransportException.HttpStatus)).EqualTo(413),
            "the caller (the range sizer) must see the 413 to ask for less");
        Assert.That(client.GetEndpointHealth()[0].ConsecutiveFailures, Is.Zero, "a too-large request says nothing about the endpoint's health");
    }

    [Test]
    public void GetEndpointHealth_AfterTraffic_CountsRequestsFailuresAndLastSuccess()
    {
        var handler = new RecordedReplyHandler().Reply("a", Ok);
        Failing(handler, "a", 1);
        var client = Client(handler, RpcResilienceOptions.NoRetry, 0.5, "a");

        Assert.DoesNotThrowAsync(() => client.CallAsync("eth_chainId", [], CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));

        var health = client.GetEndpointHealth().Single();
        Assert.Multiple(() =>
        {
            Assert.That((health.Requests, health.Failures, health.ConsecutiveFailures), Is.EqualTo((2L, 1L, 1)));
            Assert.That(health.LastSuccessAt, Is.EqualTo(_time.GetUtcNow() - TimeSpan.FromSeconds(1)));
            Assert.That(health.LastError, Does.Contain("HTTP 502"));
            Assert.That(health.Network, Is.EqualTo("testnet"), "metrics label the series by network and endpoint");
        });
    }
    [Test]
    public void CallAsync_EveryCircuitOpen_MessageNamesEachEndpointItsLastRealFailureAndWhenItIsAskedAgain()
    {
        // "a" answers 502 three times, "b" refuses the connection (no recorded reply): both circuits open.
        var handler = Failing(new RecordedReplyHandler(), "a", 3);
        var options = RpcResilienceOptions.NoRetry with { BreakDuration = TimeSpan.FromSeconds(30) };
        var client = Client(handler, options, 1.0, "a", "b");
        for (var i = 0; i < 3; i++)
        {
            Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var opened = _time.GetUtcNow() - TimeSpan.FromSeconds(5);
        _time.Advance(TimeSpan.FromSeconds(10));
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_blockNumber", [], CancellationToken.None));

        var closes = SecondUp(opened + TimeSpan.FromSeconds(30));
        var failedAt = opened.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Failures, Is.Empty, "no endpoint was asked: every circuit is open");
            Assert.That(ex.Message, Does.Not.Contain("0 attempt(s)"), "a count of nothing is no cause");
            Assert.That(ex.Message, Does.Contain("no endpoint could be asked"));
            Assert.That(ex.Message, Does.Contain($"http://a:8545 circuit open until {closes}, last failure at {failedAt}: HTTP 502"),
                "endpoint a: its last real answer (HTTP 502) and when the circuit lets a trial call through");
            Assert.That(ex.Message, Does.Contain($"http://b:8545 circuit open until {closes}, last failure at {failedAt}: connection refused (b)"),
                "endpoint b: the refused connection, not the 'not asked' of this call");
            Assert.That(ex.EndpointStates, Has.Count.EqualTo(2), "one line per failing endpoint");
            Assert.That(ex.Message, Does.Not.Contain("SECRET").And.Not.Contain("/key/"), "scheme, host and port only: the path carries the API key");
        });
    }

    [Test]
    public void Unavailable_EndpointCheckWhileEveryEndpointRests_MessageCarriesTheCauseThoughNothingWasProbed()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 3, HttpStatusCode.ServiceUnavailable);
        var client = Client(handler, RpcResilienceOptions.NoRetry, 1.0, "a");
        for (var i = 0; i < 3; i++)
        {
            Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        // What the indexers' endpoint check throws when every endpoint rests and it probes none.
        var ex = client.Unavailable("endpoint check (eth_chainId, eth_blockNumber)", []);

        Assert.That(ex.Message, Does.StartWith("network 'testnet': endpoint check (eth_chainId, eth_blockNumber) failed: no endpoint could be asked — endpoints: http://a:8545 circuit open until "));
        Assert.That(ex.Message, Does.Contain("last failure at ").And.Contain(": HTTP 503"), "the last real cause survives the open circuit");
    }

    [Test]
    public void CallAsync_RoundsExhausted_MessageHasTheAttemptsAndWhenTheEndpointIsAskedAgain()
    {
        var handler = new RecordedReplyHandler();
        var client = Client(handler, RpcResilienceOptions.NoRetry, 0.0, "a");

        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("(1 attempt(s) at 1 endpoint(s)): eth_chainId at http://a:8545: connection refused (a)"));
        var retry = SecondUp(_time.GetUtcNow() + TimeSpan.FromMilliseconds(125));
        Assert.That(ex.Message, Does.Contain($"http://a:8545 resting after a failure until {retry}, last failure at "),
            "backoff 125 ms at jitter 0: the next try is named, rounded up to the second so it is never earlier than the real one");
    }

    [Test]
    public async Task Unavailable_AfterRecovery_HealthyEndpointsAreNotListed()
    {
        var handler = Failing(new RecordedReplyHandler(), "a", 1).Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.NoRetry, 0.5, "a", "b");
        Assert.ThrowsAsync<RpcUnavailableException>(() => client.CallAsync("eth_chainId", [], CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        await client.CallAsync("eth_chainId", [], CancellationToken.None);

        var ex = client.Unavailable("eth_chainId", []);

        Assert.That(ex.EndpointStates.Single(), Does.StartWith("http://b:8545 "), "a answered last and explains nothing; b's refusal still does");
    }
}
