using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Tests.Support;

namespace Usd1Reconciler.Tests.JsonRpc;

public sealed class JsonRpcClientTests
{
    private static JsonRpcClient Client(RecordedReplyHandler handler, params string[] hosts) =>
        new(new HttpClient(handler), "testnet", hosts.Select(h => new Uri($"http://{h}:8545/v2/SECRET-API-KEY")).ToList(), TimeSpan.FromSeconds(5), NullLogger.Instance, RpcResilienceOptions.NoRetry);

    [Test]
    public async Task CallAsync_Result_ReturnsIt()
    {
        var handler = new RecordedReplyHandler().Reply("a", """{"jsonrpc":"2.0","id":"ID","result":"0x1"}""");
        var result = await Client(handler, "a").CallAsync("eth_chainId", [], CancellationToken.None);
        Assert.That(result.GetString(), Is.EqualTo("0x1"));
    }

    [Test]
    public void CallAsync_ErrorObject_TypedWithMethodEndpointAndCodeButNoSecret()
    {
        var handler = new RecordedReplyHandler().Reply("a", """{"jsonrpc":"2.0","id":"ID","error":{"code":-32000,"message":"header not found"}}""");
        var ex = Assert.ThrowsAsync<JsonRpcErrorException>(() => Client(handler, "a").CallAsync("eth_call", [], CancellationToken.None));
        Assert.That(ex!.Code, Is.EqualTo(-32000));
        Assert.That(ex.Message, Does.Contain("eth_call").And.Contain("http://a:8545").And.Contain("header not found"));
        Assert.That(ex.Message, Does.Not.Contain("SECRET"), "provider URL paths carry API keys and must never reach messages");
    }

    [TestCase("not json at all", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID"}""", "neither result nor error")]
    [TestCase("""{"jsonrpc":"1.0","id":"ID","result":"0x1"}""", "jsonrpc")]
    [TestCase("""{"jsonrpc":"2.0","id":999999,"result":"0x1"}""", "does not match")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","error":{"message":"no code"}}""", "integer code")]
    [TestCase("""[1,2,3]""", "not an object")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":"0x1""", "not valid JSON")]
    public void CallAsync_MalformedReplyOnOnlyEndpoint_UnavailableWithSpecificReason(string body, string reason)
    {
        var handler = new RecordedReplyHandler().Reply("a", body);
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => Client(handler, "a").CallAsync("eth_blockNumber", [], CancellationToken.None));
        Assert.That(ex!.Failures.Single(), Is.InstanceOf<RpcProtocolException>());
        Assert.That(ex.Message, Does.Contain(reason).And.Contain("eth_blockNumber").And.Contain("testnet"));
    }

    [Test]
    public async Task CallAsync_FirstEndpointFails_SecondAnswersAndBecomesPreferred()
    {
        var handler = new RecordedReplyHandler()
            .Reply("a", "oops", HttpStatusCode.BadGateway)
            .Reply("b", """{"jsonrpc":"2.0","id":"ID","result":"0x2"}""")
            .Reply("b", """{"jsonrpc":"2.0","id":"ID","result":"0x3"}""");
        var client = Client(handler, "a", "b");

        Assert.That((await client.CallAsync("eth_blockNumber", [], CancellationToken.None)).GetString(), Is.EqualTo("0x2"));
        Assert.That((await client.CallAsync("eth_blockNumber", [], CancellationToken.None)).GetString(), Is.EqualTo("0x3"));
        Assert.That(client.PreferredEndpoint.Label, Is.EqualTo("http://b:8545"));
        Assert.That(handler.Requests.Count(r => r.StartsWith("a ", StringComparison.Ordinal)), Is.EqualTo(1), "the endpoint that worked is asked first");
    }

    [Test]
    public void CallAsync_TooManyRequests_RetryAfterKept()
    {
        var handler = new RecordedReplyHandler().Enqueue("a", _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => Client(handler, "a").CallAsync("eth_getLogs", [], CancellationToken.None));
        var transport = (RpcTransportException)ex!.Failures.Single();
        Assert.That((transport.HttpStatus, transport.RetryAfter), Is.EqualTo(((int?)429, (TimeSpan?)TimeSpan.FromSeconds(7))));
    }

    [Test]
    public async Task BatchAsync_RepliesOutOfOrderWithOneError_PairedById()
    {
        var handler = new RecordedReplyHandler().Enqueue("a", request =>
        {
            using var doc = JsonDocument.Parse(request);
            var first = doc.RootElement[0].GetProperty("id").GetInt64();
            var second = doc.RootElement[1].GetProperty("id").GetInt64();
            var body = "[{\"jsonrpc\":\"2.0\",\"id\":" + second + ",\"error\":{\"code\":-32602,\"message\":\"bad\"}},{\"jsonrpc\":\"2.0\",\"id\":" + first + ",\"result\":\"0xa\"}]";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) };
        });

        var results = await Client(handler, "a").BatchAsync([new JsonRpcRequest("m1"), new JsonRpcRequest("m2")], CancellationToken.None);

        Assert.That(results[0].GetResultOrThrow().GetString(), Is.EqualTo("0xa"));
        Assert.That(results[1].Error!.Code, Is.EqualTo(-32602));
    }

    [Test]
    public void BatchAsync_ReplyMissingAnAnswer_ProtocolError()
    {
        var handler = new RecordedReplyHandler().Reply("a", """[{"jsonrpc":"2.0","id":"ID","result":"0xa"}]""");
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => Client(handler, "a").BatchAsync([new JsonRpcRequest("m1"), new JsonRpcRequest("m2")], CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("lacks an answer to m2"));
    }
}
