using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;
using static Usd1Reconciler.Tests.Solana.RecordedReplies;

namespace Usd1Reconciler.Tests.Solana.Rpc;

/// <summary>
/// Reply parsing on recorded replies. The transport is a handler that answers with the recorded text (id rewritten to
/// match): behaviour against a live node is covered by the integration tests on the devnet.
/// </summary>
public sealed class SolanaRpcClientTests
{
    [Test]
    public async Task getTokenSupply_RecordedReply_ReturnsContextSlotAndExactU64()
    {
        var supply = await Client(Text("get-token-supply")).getTokenSupply(Mint, SolanaCommitment.Finalized, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(supply.Slot, Is.EqualTo(301001500), "the proof compares at context.slot, so it must be read");
            Assert.That(supply.Amount.Value, Is.EqualTo(new System.Numerics.BigInteger(ulong.MaxValue)), "amount is exact; uiAmount is a rounded double");
            Assert.That(supply.Decimals, Is.EqualTo(6));
        });
    }

    [TestCase("\"amount\": 18446744073709551615", "value.amount", TestName = "getTokenSupply_AmountAsNumber_ThrowsProtocolErrorNamingField")]
    [TestCase("\"amount\": \"-1\"", "not a base-10 unsigned integer", TestName = "getTokenSupply_NegativeAmount_ThrowsProtocolError")]
    [TestCase("\"slot\": 301001500", "context lacks 'slot'", TestName = "getTokenSupply_SlotMissing_ThrowsProtocolErrorNamingContextSlot")]
    public void getTokenSupply_MalformedReply_ThrowsSpecificProtocolError(string replacement, string expected)
    {
        var text = Text("get-token-supply");
        var edited = replacement.StartsWith("\"slot\"", StringComparison.Ordinal)
            ? text.Replace(replacement, "\"slt\": 301001500", StringComparison.Ordinal)
            : text.Replace("\"amount\": \"18446744073709551615\"", replacement, StringComparison.Ordinal);
        Assert.That(edited, Is.Not.EqualTo(text), "precondition: the edit changed the reply");

        var ex = ProtocolFailure(() => Client(edited).getTokenSupply(Mint, SolanaCommitment.Finalized, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Method, Is.EqualTo("getTokenSupply"), "the error names the method");
            Assert.That(ex.Endpoint, Is.EqualTo("http://node.test:8899"), "and the endpoint (host and port only)");
            Assert.That(ex.Message, Does.Contain(expected), "and what was wrong");
        });
    }

    [Test]
    public async Task getSignatureStatuses_RecordedReply_MapsNullFailedAndFinalized()
    {
        var answer = await Client(Text("get-signature-statuses")).getSignatureStatuses(["a", "b", "c"], true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(answer.ContextSlot, Is.EqualTo(301001600), "a null status only means dropped from a node that has seen the slot");
            Assert.That(answer.Statuses[0]!.IsFinalized, Is.True);
            Assert.That(answer.Statuses[1], Is.Null, "an unknown signature is null, not an error");
            Assert.That(answer.Statuses[2]!.Failed, Is.True, "err non-null means the transaction failed");
            Assert.That(answer.Statuses[2]!.IsFinalized, Is.False);
        });
    }

    [Test]
    public void getSignatureStatuses_FewerStatusesThanAsked_ThrowsProtocolError()
    {
        var ex = ProtocolFailure(() => Client(Text("get-signature-statuses")).getSignatureStatuses(["a", "b"], true, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("array of 2 statuses"), "statuses pair with signatures by position, so the count must match");
    }

    [Test]
    public async Task getMultipleAccounts_RecordedReply_ContextSlotAndAccountsInOrderNullKept()
    {
        string[] asked = ["FSwSTVsk8cZ1Tg2D68omEV3pfCd7dnzZ8vWrNZct2QmP", "8MvdHr2fsTbo2Q75HaEvZ3HhjfcML1iTMsddD1yrXgSj", "9661cTcEPFb2LnsfB2Q7MMpAtm1yuste3uAeDrArLahb", "BNt23Kq6HVQnJFS35XWLzr8J48yBVGBpxXkEaga6iPY8"];

        var (slot, values) = await Client(Text("get-multiple-accounts-token")).getMultipleAccounts(asked, SolanaCommitment.Finalized, CancellationToken.None, minContextSlot: 447552020);

        Assert.That(slot, Is.EqualTo(447552020), "the proof compares only when this is its slot");
        Assert.That(values.Select(v => v is null), Is.EqualTo(new[] { false, false, false, true }), "a missing account is null, in its place");
    }

    [Test]
    public void getMultipleAccounts_FewerAccountsThanAsked_ThrowsProtocolError()
    {
        var ex = ProtocolFailure(() => Client(Text("get-multiple-accounts-token")).getMultipleAccounts(["a", "b"], SolanaCommitment.Finalized, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("the 2 accounts asked for"), "accounts pair with addresses by position, so the count must match");
    }

    [Test]
    public void getMultipleAccounts_MoreThanAgavesLimit_RefusedBeforeSending() =>
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client(Text("get-multiple-accounts-token")).getMultipleAccounts(
            Enumerable.Range(0, SolanaRpcClient.MaxMultipleAccounts + 1).Select(i => $"a{i}").ToList(), SolanaCommitment.Finalized, CancellationToken.None));

    [Test]
    public async Task getSignaturesForAddress_RecordedReply_ReadsErrAndNullBlockTime()
    {
        var page = await Client(Text("get-signatures-for-address"))
            .getSignaturesForAddress(Mint, null, null, 1000, SolanaCommitment.Confirmed, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(page.Select(p => p.Slot), Is.EqualTo(new[] { 301000100L, 301000050L }), "newest first, as the node sends them");
            Assert.That(page[0].Failed, Is.False);
            Assert.That(page[1].Failed, Is.True, "a failed transaction is listed with err set and must be skipped, not fetched");
            Assert.That(page[1].BlockTime, Is.Null, "blockTime may be null on a cluster");
        });
    }

    [Test]
    public void getTransaction_ReplyForAnotherSignature_ThrowsProtocolError()
    {
        var ex = ProtocolFailure(() => Client(Text("mint-to")).getTransaction("5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW", SolanaCommitment.Confirmed, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("but the reply is transaction"), "an answer to another question must not be decoded as ours");
    }

    [Test]
    public async Task getTransaction_RecordedReply_SendsJsonParsedWithHighestDecodedVersion()
    {
        var handler = new RecordedReplyHandler(Text("mint-to"));

        var reply = await Client(handler).getTransaction(MintToSignature, SolanaCommitment.Confirmed, CancellationToken.None);

        Assert.That(reply, Is.Not.Null);
        using var request = JsonDocument.Parse(handler.LastRequest!);
        var config = request.RootElement.GetProperty("params")[1];
        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("encoding").GetString(), Is.EqualTo("jsonParsed"), "the decoder reads parsed instructions");
            Assert.That(config.GetProperty("maxSupportedTransactionVersion").GetInt32(), Is.EqualTo(1),
                "with 0 a node refuses every v1 transaction (-32015) and the mint's indexing stops at it; 1 is the newest the decoder reads");
            Assert.That(config.GetProperty("commitment").GetString(), Is.EqualTo("confirmed"));
        });
    }

    [Test]
    public async Task getTransaction_V1Reply_ReturnsTheTransaction()
    {
        var reply = await Client(Text("mint-v1")).getTransaction(MintV1Signature, SolanaCommitment.Confirmed, CancellationToken.None);

        Assert.That(reply, Is.Not.Null, "a version-1 reply passes the envelope check");
        Assert.That(reply!.Value.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void getTransaction_Minus32015Refusal_ThrowsUnsupportedVersionNamingSignatureAndVersion()
    {
        var ex = Assert.ThrowsAsync<UnsupportedTransactionVersionException>(
            () => Client(Text("unsupported-version-error")).getTransaction(MintV1Signature, SolanaCommitment.Confirmed, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Signature, Is.EqualTo(MintV1Signature), "the pass fails at a named signature, so the operator knows what blocks indexing");
            Assert.That(ex.Version, Is.EqualTo("2"), "read from agave's wording 'Transaction version (2) is not supported'");
            Assert.That(ex.Message, Does.Contain(MintV1Signature).And.Contain("version 2").And.Contain("upgrade"));
            Assert.That(ex.InnerException, Is.InstanceOf<JsonRpcErrorException>().With.Property(nameof(JsonRpcErrorException.Code)).EqualTo(-32015));
        });
    }

    [Test]
    public void getTransaction_ReplyInUnknownVersion_ThrowsUnsupportedVersionNotProtocolError()
    {
        var reply = Text("mint-v1").Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal);
        Assert.That(reply, Is.Not.EqualTo(Text("mint-v1")), "precondition: the edit changed the version");

        var ex = Assert.ThrowsAsync<UnsupportedTransactionVersionException>(
            () => Client(reply).getTransaction(MintV1Signature, SolanaCommitment.Confirmed, CancellationToken.None));

        Assert.That((ex!.Signature, ex.Version), Is.EqualTo((MintV1Signature, "2")),
            "a format the decoder has never seen is refused by name, not failed over as a broken endpoint (every node would send the same)");
    }

    [Test]
    public void getTransaction_ReplyWithoutVersion_ThrowsProtocolError()
    {
        var reply = Text("mint-to").Replace("\"version\": \"legacy\"", "\"versión\": \"legacy\"", StringComparison.Ordinal);
        Assert.That(reply, Is.Not.EqualTo(Text("mint-to")), "precondition: the edit removed 'version'");

        var ex = ProtocolFailure(() => Client(reply).getTransaction(MintToSignature, SolanaCommitment.Confirmed, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("lacks 'version'"), "asked with maxSupportedTransactionVersion, a node always names the version it encoded");
    }

    [Test]
    public void GetTransactionsAsync_SecondRefusedWithMinus32015_ThrowsNamingTheRefusedSignature()
    {
        var handler = new BatchReplyHandler(Text("mint-to"), Text("unsupported-version-error"));

        var ex = Assert.ThrowsAsync<UnsupportedTransactionVersionException>(
            () => Client(handler).GetTransactionsAsync([MintToSignature, MintV1Signature], SolanaCommitment.Confirmed, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(handler.Requests, Is.EqualTo(1), "a version refusal is the node's answer: no failover, no retry");
            Assert.That(ex!.Signature, Is.EqualTo(MintV1Signature), "the refused signature, not the batch's first");
            Assert.That(ex.Version, Is.EqualTo("2"));
        });
    }

    [Test]
    public async Task GetTransactionsAsync_LegacyV0AndV1_AllReturned()
    {
        var handler = new BatchReplyHandler(Text("mint-to"), Text("mint-v0-lookup"), Text("mint-v1"));

        var replies = await Client(handler).GetTransactionsAsync(
            [MintToSignature, MintV0Signature, MintV1Signature], SolanaCommitment.Confirmed, CancellationToken.None);

        Assert.That(replies.Select(r => r!.Value.GetProperty("version").ToString()), Is.EqualTo(new[] { "legacy", "0", "1" }),
            "every version a current cluster serves is read");
    }

    private static SolanaRpcClient Client(string reply) => Client(new RecordedReplyHandler(reply));

    /// <summary>
    /// A malformed reply fails that endpoint over like any protocol failure; with one endpoint and no retry the caller
    /// sees the network unavailable, and the one failure inside it is the reader's specific complaint.
    /// </summary>
    private static RpcProtocolException? ProtocolFailure(AsyncTestDelegate call)
    {
        var unavailable = Assert.ThrowsAsync<RpcUnavailableException>(call);
        Assert.That(unavailable!.Failures, Has.Count.EqualTo(1).And.All.InstanceOf<RpcProtocolException>(), "one endpoint, no retry: one protocol failure");
        return (RpcProtocolException)unavailable.Failures[0];
    }

    private static SolanaRpcClient Client(HttpMessageHandler handler) =>
        new(new JsonRpcClient(new HttpClient(handler), "test", [new Uri("http://node.test:8899/secret-key")], TimeSpan.FromSeconds(5), NullLogger.Instance, RpcResilienceOptions.NoRetry));

    /// <summary>Answers a JSON-RPC batch with one recorded reply per request, in order, each with its request's id.</summary>
    private sealed class BatchReplyHandler(params string[] replies) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            var sent = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsArray();
            Assert.That(sent, Has.Count.EqualTo(replies.Length), "the test gives one reply per request of the batch");
            var answer = new JsonArray();
            for (var i = 0; i < sent.Count; i++)
            {
                var reply = JsonNode.Parse(replies[i])!;
                reply["id"] = sent[i]!["id"]!.GetValue<long>();
                answer.Add(reply);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>Answers every request with one recorded reply, its id set to the request's so the envelope check passes.</summary>
    private sealed class RecordedReplyHandler(string reply) : HttpMessageHandler
    {
        public string? LastRequest { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastRequest = await request.Content!.ReadAsStringAsync(cancellationToken);
            using var sent = JsonDocument.Parse(LastRequest);
            var id = sent.RootElement.GetProperty("id").GetInt64();
            var body = System.Text.RegularExpressions.Regex.Replace(reply, "\"id\": 1\\s*}\\s*$", $"\"id\": {id}}}");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
