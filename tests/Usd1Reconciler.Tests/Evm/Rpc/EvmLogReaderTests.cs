using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Tests.Support;

namespace Usd1Reconciler.Tests.Evm.Rpc;

/// <summary>
/// eth_getLogs through the real client and its token-by-token log reader: every field checked whatever the member
/// order, layout or read size, equal text shared, and a faulty log named by the first fault in a fixed order.
/// </summary>
public sealed class EvmLogReaderTests
{
    private const string Token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Holder = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string Zero = "0x0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly string BlockHash = "0x" + new string('b', 64);
    private static readonly string TxHash = "0x" + new string('c', 64);
    private static readonly string Amount = "0x" + new string('0', 58) + "0f4240";

    private static Task<IReadOnlyList<EvmLog>> GetLogs(string body, int bytesPerRead = 65536)
    {
        var handler = new RecordedReplyHandler().Trickle("a", body, bytesPerRead);
        var transport = new JsonRpcClient(new HttpClient(handler), "testnet", [new Uri("http://a:8545")], TimeSpan.FromSeconds(5), NullLogger.Instance, RpcResilienceOptions.NoRetry);
        return new EvmRpcClient(transport).eth_getLogs(Token, EventTopics.All, 1, 10, CancellationToken.None);
    }

    private static string Reply(params string[] logs) => $$"""{"jsonrpc":"2.0","id":"ID","result":[{{string.Join(',', logs)}}]}""";

    private static string Log(string txHash, string logIndex = "0x0", string data = "", string? extra = null) =>
        $$"""{"address":"{{Token}}","topics":["{{EventTopics.Transfer}}","{{Zero}}","{{Holder}}"],"data":"{{(data.Length > 0 ? data : Amount)}}","blockNumber":"0x7","blockHash":"{{BlockHash}}","transactionHash":"{{txHash}}","logIndex":"{{logIndex}}","removed":false{{extra}}}""";

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(65536)]
    public async Task GetLogs_MembersInAnyOrderEscapedAndMixedCase_EveryFieldReadAsTheNodeMeantIt(int bytesPerRead)
    {
        // Members reversed, unknown members holding nested values (and a decoy "topics" inside one), whitespace,
        // upper-case hex and a \u-escaped hash: all legal JSON a node may send.
        var body = Reply($$"""
            {
              "removed" : false, "logIndex":"0x1F", "extra":{"topics":[1,{"x":null}],"data":"0x"},
              "transactionHash":"\u0030x{{new string('C', 64)}}", "blockHash":"{{BlockHash.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}}",
              "blockNumber" : "0x10", "blockTimestamp":"0x6553f100", "data":"{{Amount.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}}",
              "topics" : [ "{{EventTopics.Transfer}}", "{{Zero}}", "{{Holder}}" ], "address":"{{Token}}"
            }
            """);

        var log = (await GetLogs(body, bytesPerRead)).Single();

        Assert.That(log.Address, Is.EqualTo(Token));
        Assert.That(log.Topics, Is.EqualTo(new[] { EventTopics.Transfer, Zero, Holder }));
        Assert.That(log.Data, Is.EqualTo(Amount));
        Assert.That((log.BlockNumber, log.LogIndex, log.Removed), Is.EqualTo((16L, 31, false)));
        Assert.That(log.BlockHash, Is.EqualTo(BlockHash));
        Assert.That(log.TransactionHash, Is.EqualTo(TxHash));
        Assert.That(log.BlockTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(0x6553f100)), "blockTimestamp is the block's time in Unix seconds");
    }

    [Test]
    public async Task GetLogs_BlockTimestampAbsentOrNull_NoBlockTime()
    {
        var logs = await GetLogs(Reply(Log(TxHash, "0x0"), Log(TxHash, "0x1", extra: """, "blockTimestamp":null"""), Log(TxHash, "0x2", extra: """, "blockTimestamp":"0x0" """)));

        Assert.That(logs.Select(l => l.BlockTimestamp), Is.EqualTo(new DateTimeOffset?[] { null, null, DateTimeOffset.UnixEpoch }), "a node that does not send the time leaves it to a header read");
    }

    [Test]
    public async Task GetLogs_EqualTextInNeighbouringLogs_OneSharedStringInstance()
    {
        var logs = await GetLogs(Reply(Log(TxHash, "0x0"), Log(TxHash, "0x1"), Log("0x" + new string('d', 64), "0x2")));

        Assert.That(logs, Has.Count.EqualTo(3));
        Assert.That(ReferenceEquals(logs[0].TransactionHash, logs[1].TransactionHash), Is.True, "same transaction hash text, same instance");
        Assert.That(ReferenceEquals(logs[0].Topics[2], logs[2].Topics[2]), Is.True, "same holder topic, same instance");
        Assert.That(ReferenceEquals(logs[0].BlockHash, logs[2].BlockHash), Is.True);
        Assert.That(logs[2].TransactionHash, Is.EqualTo("0x" + new string('d', 64)), "different text is never shared");
        Assert.That(logs.Select(l => l.LogIndex), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public async Task GetLogs_TransferAndMintAlternating_WordsAndDataSharedWithTheLogBeforeLast()
    {
        // A stablecoin's mint is a Transfer from zero and a Mint naming the minter, with the same amount: topic 0,
        // topic 1 and the data alternate from log to log.
        const string Minter = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";
        string Pair(int i) =>
            $$"""{"address":"{{Token}}","topics":["{{EventTopics.Transfer}}","{{Zero}}","{{Holder}}"],"data":"{{Amount}}","blockNumber":"0x7","blockHash":"{{BlockHash}}","transactionHash":"0x{{i:x64}}","logIndex":"0x{{2 * i:x}}","removed":false},""" +
            $$"""{"address":"{{Token}}","topics":["{{EventTopics.Mint}}","{{Minter}}","{{Holder}}"],"data":"{{Amount}}","blockNumber":"0x7","blockHash":"{{BlockHash}}","transactionHash":"0x{{i:x64}}","logIndex":"0x{{(2 * i) + 1:x}}","removed":false}""";

        var logs = await GetLogs(Reply(Enumerable.Range(0, 4).Select(Pair).ToArray()));

        Assert.That(logs, Has.Count.EqualTo(8));
        for (var i = 2; i < logs.Count; i++)
        {
            Assert.That(ReferenceEquals(logs[i].Topics[0], logs[i - 2].Topics[0]), Is.True, $"log {i}: topic 0 is the instance of the log before last");
            Assert.That(ReferenceEquals(logs[i].Topics[1], logs[i - 2].Topics[1]), Is.True, $"log {i}: topic 1 (zero / minter) is the instance of the log before last");
            Assert.That(ReferenceEquals(logs[i].Data, logs[i - 1].Data), Is.True, $"log {i}: the amount is the previous log's instance");
        }

        Assert.That(logs.Select(l => l.Topics[0]), Is.EqualTo(Enumerable.Repeat(new[] { EventTopics.Transfer, EventTopics.Mint }, 4).SelectMany(p => p)), "sharing never hands out the other log's text");
        Assert.That(logs.Select(l => l.Topics[1]), Is.EqualTo(Enumerable.Repeat(new[] { Zero, Minter }, 4).SelectMany(p => p)));
    }

    [Test]
    public async Task GetLogs_DataOfDifferentCaseOrValue_NeverSharedAcrossDifferentText()
    {
        var upper = "0x" + new string('0', 58) + "0F4240";
        var other = "0x" + new string('0', 58) + "0f4241";
        var logs = await GetLogs(Reply(Log(TxHash, "0x0"), Log(TxHash, "0x1", data: other), Log(TxHash, "0x2"), Log(TxHash, "0x3", data: upper)));

        Assert.That(logs.Select(l => l.Data), Is.EqualTo(new[] { Amount, other, Amount, Amount }), "upper-case data is read lower-cased");
        Assert.That(ReferenceEquals(logs[0].Data, logs[2].Data), Is.True, "the same text two logs back is shared");
        Assert.That(ReferenceEquals(logs[0].Data, logs[1].Data), Is.False);
    }

    [Test]
    public async Task GetLogs_MemberRepeated_LastOneCounts()
    {
        var log = (await GetLogs(Reply(Log(TxHash, "0x3", extra: """, "logIndex":"0x4", "removed":true""")))).Single();
        Assert.That((log.LogIndex, log.Removed), Is.EqualTo((4, true)));
    }

    [TestCase(""", "blockTimestamp":7""", "log blockTimestamp is not a hex quantity string")]
    [TestCase(", \"blockTimestamp\":\"0xzz\"", "log blockTimestamp")]
    [TestCase(", \"blockTimestamp\":\"0x7fffffffffffffff\"", "log blockTimestamp 9223372036854775807 is out of range")]
    public void GetLogs_FaultyBlockTimestamp_NamedAfterEveryOtherField(string extra, string reason)
    {
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => GetLogs(Reply(Log(TxHash, extra: extra))));
        Assert.That(ex!.Failures.Single(), Is.InstanceOf<RpcProtocolException>());
        Assert.That(ex.Message, Does.Contain(reason));
    }

    [TestCase("""[1,2]""", "log is a JSON Array, not an object")]
    [TestCase("""{"topics":"0x1"}""", "log has no topics array")]
    [TestCase("""{"address":"0x12","data":"0x1","topics":[7]}""", "topic is missing")]
    [TestCase("""{"address":"0x12","data":"0x123","topics":[]}""", "log data is not 0x-prefixed hex of whole bytes")]
    [TestCase("""{"address":"0x12","data":"0x","topics":[],"logIndex":"0x80000000"}""", "logIndex 2147483648 is out of range")]
    [TestCase("""{"address":"0x12","data":"0x","topics":[],"logIndex":"0x1","blockNumber":"0x1"}""", "log address '0x12' is not 0x followed by 40 hex digits")]
    [TestCase("""{"data":"0x","topics":[],"logIndex":"0x1","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}""", "log blockNumber is missing")]
    [TestCase("""{"data":"0x","topics":[],"logIndex":"0x1","blockNumber":"0x1","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","blockHash":null}""", "log blockHash is missing")]
    [TestCase("""{"data":"0x","topics":["0xzz"],"logIndex":"0x1","blockNumber":"0x1","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}""", "topic '0xzz' is not 0x followed by 64 hex digits")]
    public void GetLogs_FaultyLog_FirstFaultInFixedOrderNamed(string log, string reason)
    {
        foreach (var bytesPerRead in new[] { 1, 65536 })
        {
            var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => GetLogs(Reply(log), bytesPerRead));
            Assert.That(ex!.Failures.Single(), Is.InstanceOf<RpcProtocolException>());
            Assert.That(ex.Message, Does.Contain(reason).And.Contain("eth_getLogs").And.Contain("http://a:8545"), $"read {bytesPerRead} bytes at a time");
        }
    }
}
