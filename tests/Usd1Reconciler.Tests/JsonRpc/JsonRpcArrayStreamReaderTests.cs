using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Tests.Support;

namespace Usd1Reconciler.Tests.JsonRpc;

/// <summary>The streamed array reply (JsonRpcClient.CallArrayAsync): the same envelope rules as a parsed reply, whatever the read sizes.</summary>
public sealed class JsonRpcArrayStreamReaderTests
{
    private static JsonRpcClient Client(RecordedReplyHandler handler, params string[] hosts) =>
        new(new HttpClient(handler), "testnet", hosts.Select(h => new Uri($"http://{h}:8545/v2/SECRET-API-KEY")).ToList(), TimeSpan.FromSeconds(5), NullLogger.Instance, RpcResilienceOptions.NoRetry);

    private static Task<IReadOnlyList<string>> Call(JsonRpcClient client, int maxItems = 1000) =>
        client.CallArrayAsync("eth_getLogs", [], "things", ReadThing, maxItems, CancellationToken.None);

    private static string ReadThing(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"thing is a JSON {item.ValueKind}, not an object with a string v");

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(65536)]
    public async Task CallArrayAsync_ReplyArrivesInPieces_EveryItemInOrder(int bytesPerRead)
    {
        // Members in an unusual order, unknown members with nested values, escapes and whitespace between tokens.
        const string body = """ { "result" : [ {"v":"a","x":{"y":[1,2,{"z":null}]}}, {"v":"b\"c"} ,{"v":"\u00e9"} ], "extra": {"k":[true,false]}, "id":"ID", "jsonrpc":"2.0" } """;
        var handler = new RecordedReplyHandler().Trickle("a", body, bytesPerRead);
        var items = await Call(Client(handler, "a"));
        Assert.That(items, Is.EqualTo(new[] { "a", "b\"c", "é" }));
    }

    [Test]
    public async Task CallArrayAsync_ItemLargerThanTheReadBuffer_ReadWhole()
    {
        var big = new string('q', 300_000);
        var body = $$"""{"jsonrpc":"2.0","id":"ID","result":[{"v":"{{big}}"},{"v":"after"}]}""";
        var handler = new RecordedReplyHandler().Trickle("a", body, 4096);
        var items = await Call(Client(handler, "a"));
        Assert.That(items.Select(i => i.Length), Is.EqualTo(new[] { 300_000, 5 }), "an item bigger than the 64 KiB buffer grows it rather than failing");
    }

    [Test]
    public async Task CallArrayAsync_EmptyArray_NoItems()
    {
        var handler = new RecordedReplyHandler().Trickle("a", """{"jsonrpc":"2.0","id":"ID","result":[]}""", 2);
        Assert.That(await Call(Client(handler, "a")), Is.Empty);
    }

    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":{}}""", "expected an array of things, got Object")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":null}""", "expected an array of things, got Null")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":"0x1"}""", "expected an array of things, got String")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID"}""", "neither result nor error")]
    [TestCase("""{"id":"ID","result":[]}""", "lacks \"jsonrpc\":\"2.0\"")]
    [TestCase("""{"jsonrpc":"1.0","id":"ID","result":[]}""", "lacks \"jsonrpc\":\"2.0\"")]
    [TestCase("""{"jsonrpc":"2.0","id":999999,"result":[]}""", "does not match")]
    [TestCase("""{"jsonrpc":"2.0","result":[]}""", "does not match")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","error":{"message":"no code"}}""", "integer code")]
    [TestCase("""[{"jsonrpc":"2.0","id":"ID","result":[]}]""", "reply is a JSON Array, not an object")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":[{"v":"a"},""", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":[{"v":"a"}]} trailing""", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":[{"v":"a"}]}{}""", "not valid JSON")]
    [TestCase("not json at all", "not valid JSON")]
    [TestCase("", "not valid JSON")]
    [TestCase("""{"jsonrpc":"2.0","id":"ID","result":[{"v":"a"},7]}""", "thing is a JSON Number")]
    public void CallArrayAsync_MalformedReply_UnavailableWithSpecificReason(string body, string reason)
    {
        foreach (var bytesPerRead in new[] { 1, 5, 65536 })
        {
            var handler = new RecordedReplyHandler().Trickle("a", body, bytesPerRead);
            var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => Call(Client(handler, "a")));
            Assert.That(ex!.Failures.Single(), Is.InstanceOf<RpcProtocolException>(), $"read {bytesPerRead} bytes at a time");
            Assert.That(ex.Message, Does.Contain(reason).And.Contain("eth_getLogs").And.Contain("http://a:8545"), $"read {bytesPerRead} bytes at a time");
            Assert.That(ex.Message, Does.Not.Contain("SECRET"));
        }
    }

    [Test]
    public void CallArrayAsync_ErrorObject_NodesAnswerWithoutFailover()
    {
        var handler = new RecordedReplyHandler()
            .Trickle("a", """{"jsonrpc":"2.0","id":"ID","error":{"code":-32005,"message":"query returned more than 10000 results","data":{"from":"0x1"}}}""", 3)
            .Reply("b", """{"jsonrpc":"2.0","id":"ID","result":[]}""");
        var ex = Assert.ThrowsAsync<JsonRpcErrorException>(() => Call(Client(handler, "a", "b")));
        Assert.That(ex!.Code, Is.EqualTo(-32005));
        Assert.That(ex.RpcMessage, Does.Contain("10000 results"));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "an error object is the node's answer about the request, not a broken endpoint");
    }

    [Test]
    public void CallArrayAsync_MoreItemsThanAllowed_ReplyTooLargeWithoutFailover()
    {
        var items = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"v":"{{i}}"}"""));
        var handler = new RecordedReplyHandler()
            .Trickle("a", $$"""{"jsonrpc":"2.0","id":"ID","result":[{{items}}]}""", 16)
            .Reply("b", """{"jsonrpc":"2.0","id":"ID","result":[]}""");
        var client = Client(handler, "a", "b");
        var ex = Assert.ThrowsAsync<ReplyTooLargeException>(() => Call(client, maxItems: 10));
        Assert.That(ex!.MaxItems, Is.EqualTo(10));
        Assert.That(ex.Message, Does.Contain("more than 10 items").And.Contain("http://a:8545"));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "the request asked for too much; another endpoint would answer the same");
        Assert.That(client.GetEndpointHealth()[0].ConsecutiveFailures, Is.Zero, "the endpoint answered and must not rest for it");
    }

    [Test]
    public async Task CallArrayAsync_ExactlyMaxItems_Accepted()
    {
        var handler = new RecordedReplyHandler().Trickle("a", """{"jsonrpc":"2.0","id":"ID","result":[{"v":"1"},{"v":"2"}]}""", 4);
        Assert.That(await Call(Client(handler, "a"), maxItems: 2), Has.Count.EqualTo(2));
    }
}
