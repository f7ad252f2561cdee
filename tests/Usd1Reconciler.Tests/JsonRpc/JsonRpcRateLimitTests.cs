using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Tests.Support;

namespace Usd1Reconciler.Tests.JsonRpc;

/// <summary>The request budget and 429 handling as the client applies them to real calls and batches.</summary>
public sealed class JsonRpcRateLimitTests
{
    private const string Ok = """{"jsonrpc":"2.0","id":"ID","result":"0x1"}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Real time for continuations on the thread pool to run (the fake clock does not move meanwhile).</summary>
    private static Task Settle(int milliseconds = 50) => Task.Delay(TimeSpan.FromMilliseconds(milliseconds), TimeProvider.System);

    private JsonRpcClient Client(RecordedReplyHandler handler, RpcResilienceOptions options) =>
        new(new HttpClient(handler), "testnet", [new Uri("http://a:8545/key/SECRET")], TimeSpan.FromSeconds(5), NullLogger.Instance, options, _time, () => 0.5);

    private static HttpResponseMessage TooManyRequests(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    /// <summary>Moves the fake clock in small steps until <paramref name="task"/> is done (the client waits on it between rounds).</summary>
    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task, TimeSpan step, int maxSteps = 1000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Settle(1);
            _time.Advance(step);
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task BatchAsync_BatchElementsCountAgainstTheBudget_NextCallWaitsForTheWindow()
    {
        var handler = new RecordedReplyHandler()
            .Reply("a", """[{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":2,"result":"0x2"},{"jsonrpc":"2.0","id":3,"result":"0x3"}]""")
            .Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.Default with { MaxRequestsPerSecond = 3 });

        var batch = await client.BatchAsync([new("eth_blockNumber"), new("eth_chainId"), new("eth_gasPrice")], CancellationToken.None);
        Assert.That(batch, Has.Count.EqualTo(3));

        var call = client.CallAsync("eth_blockNumber", [], CancellationToken.None);
        await Settle();
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "one HTTP post of three elements uses a budget of three: the next call is held back");

        _time.Advance(RequestBudget.Window);
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(result.GetString(), Is.EqualTo("0x1"));
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
        Assert.That(client.ThrottledRequests, Is.EqualTo(1));
    }

    [Test]
    public void MaxBatchSize_Budget_CapsBatchesAtIt()
    {
        var budgeted = Client(new RecordedReplyHandler(), RpcResilienceOptions.Default with { MaxRequestsPerSecond = 25 });
        var free = Client(new RecordedReplyHandler(), RpcResilienceOptions.Default);

        Assert.That((budgeted.MaxBatchSize(100), free.MaxBatchSize(100)), Is.EqualTo((25, 100)),
            "a batch larger than a second's budget could never be sent within it");
    }

    [Test]
    public async Task CallAsync_429MoreTimesThanMaxRounds_WaitedOutByRetryAfterAndAnswered()
    {
        var handler = new RecordedReplyHandler();
        for (var i = 0; i < 5; i++)
        {
            handler.Enqueue("a", _ => TooManyRequests(TimeSpan.FromSeconds(1)));
        }

        handler.Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.Default with { MaxRounds = 3 });

        var started = _time.GetUtcNow();
        var result = await AdvanceUntilDoneAsync(client.CallAsync("eth_getLogs", [], CancellationToken.None), TimeSpan.FromMilliseconds(100));

        Assert.That(result.GetString(), Is.EqualTo("0x1"), "429s are the provider's flow control: they do not use up the three rounds");
        Assert.That(handler.Requests, Has.Count.EqualTo(6));
        Assert.That(_time.GetUtcNow() - started, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(5)), "each retry waited out its Retry-After");
    }

    [Test]
    public void CallAsync_429BeyondTheRateLimitedRounds_FailsNamingTheRateLimit()
    {
        var handler = new RecordedReplyHandler();
        for (var i = 0; i < 40; i++)
        {
            handler.Enqueue("a", _ => TooManyRequests(TimeSpan.FromMilliseconds(100)));
        }

        var client = Client(handler, RpcResilienceOptions.Default with { MaxRounds = 2 });

        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => AdvanceUntilDoneAsync(client.CallAsync("eth_getLogs", [], CancellationToken.None), TimeSpan.FromMilliseconds(50)));

        Assert.That(ex!.Message, Does.Contain("HTTP 429"), "a provider that never lets up fails the call instead of holding it for ever");
        Assert.That(handler.Requests, Has.Count.EqualTo(12), "ten rate-limited rounds waited out, then the two ordinary rounds");
    }

    [Test]
    public async Task CallAsync_AfterA429_AnotherCallWaitsForTheSameRetryAfter()
    {
        var handler = new RecordedReplyHandler()
            .Enqueue("a", _ => TooManyRequests(TimeSpan.FromSeconds(2)))
            .Reply("a", Ok)
            .Reply("a", Ok);
        var client = Client(handler, RpcResilienceOptions.Default);

        var first = client.CallAsync("eth_getLogs", [], CancellationToken.None);
        await Settle();
        var second = client.CallAsync("eth_blockNumber", [], CancellationToken.None);
        await Settle();
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "no call is sent while the provider's rest lasts");

        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }
}
