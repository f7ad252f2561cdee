using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>
/// One case per table entry, each with the message the client or provider sends (from its source, or as recorded by
/// indexers that met it: Ponder's per-provider getLogs tests, client code quoting the reply), so the table is tested
/// against real wordings rather than against its own fragments. Where only part of a reply was recorded (Cloudflare's
/// "Max range: 800") the case is that part; where the code was not recorded the case uses -32000 and the entry
/// matches any code.
/// </summary>
public sealed class ProviderErrorsTests
{
    private static readonly object[] RealReplies =
    [
        // Chain moved.
        Case("anvil", -32000, "BlockOutOfRangeError: block height is 2101 but requested was 2100", ProviderErrorKind.ChainMoved),
        Case("geth", -32602, "block range extends beyond current head block", ProviderErrorKind.ChainMoved),
        Case("reth", -32602, "block range extends beyond current head block: requested 24383096, head 24383090", ProviderErrorKind.ChainMoved),

        // Rate limits.
        Case("Infura project rate", -32005, "project ID request rate exceeded", ProviderErrorKind.RateLimited),
        Case("Infura daily", -32005, "daily request count exceeded, request rate limited", ProviderErrorKind.RateLimited),
        Case("various", -32005, "rate limit exceeded", ProviderErrorKind.RateLimited),
        Case("Alchemy CUPS (a 429 inside the JSON-RPC error)", 429, "Your app has exceeded its compute units per second capacity. If you have retries enabled, you can safely ignore this message.", ProviderErrorKind.RateLimited),

        // Result-count caps.
        Case("Infura / geth-style", -32005, "query returned more than 10000 results", ProviderErrorKind.ResultCountCap),
        Case("reth", -32602, "query exceeds max results 20000, retry with the range 24383075-24383096", ProviderErrorKind.ResultCountCap),
        Case("Arbitrum Nitro", -32005, "logs matched by query exceeds limit of 10000", ProviderErrorKind.ResultCountCap),

        // Response-size caps.
        Case("Alchemy", -32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x0, 0x88c025]", ProviderErrorKind.ResponseSizeCap),
        Case("Base public RPC", -32020, "backend response too large", ProviderErrorKind.ResponseSizeCap),
        Case("1RPC", -32000, "response size should not greater than 10000000 bytes", ProviderErrorKind.ResponseSizeCap),

        // Block-range caps.
        Case("reth", -32602, "query exceeds max block range 100000", ProviderErrorKind.BlockRangeCap),
        Case("PublicNode / BSC", -32000, "exceed maximum block range: 2000", ProviderErrorKind.BlockRangeCap),
        Case("QuickNode", -32000, "eth_getLogs is limited to a 10,000 range", ProviderErrorKind.BlockRangeCap),
        Case("Alchemy free tier", -32600, "Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. Based on your parameters, this block range should work: [0x12a05f1, 0x12a05fa].", ProviderErrorKind.BlockRangeCap),
        Case("Ankr", -32600, "block range is too wide", ProviderErrorKind.BlockRangeCap),
        Case("Optimism", -32000, "Block range is too large", ProviderErrorKind.BlockRangeCap),
        Case("Base", -32000, "block range too large", ProviderErrorKind.BlockRangeCap),
        Case("Chainstack", -32000, "Block range limit exceeded.", ProviderErrorKind.BlockRangeCap),
        Case("Avalanche", -32000, "requested too many blocks from 41000000 to 41005000, maximum is set to 2048", ProviderErrorKind.BlockRangeCap),
        Case("Coinbase", -32000, "please limit the query to at most 1000 blocks", ProviderErrorKind.BlockRangeCap),
        Case("thirdweb", -32602, "Maximum allowed number of requested blocks is 1000", ProviderErrorKind.BlockRangeCap),
        Case("Cloudflare", -32000, "Max range: 800", ProviderErrorKind.BlockRangeCap),
        Case("Arc", -32012, "requested range too large", ProviderErrorKind.BlockRangeCap),

        // Timeouts.
        Case("Alchemy", -32000, "Query timeout exceeded. Consider reducing your block range.", ProviderErrorKind.QueryTimeout),
        Case("Arbitrum", -32000, "log query timed out", ProviderErrorKind.QueryTimeout),

        // Generic EIP-1474 limit.
        Case("EIP-1474", -32005, "Limit exceeded", ProviderErrorKind.RequestLimit),
    ];

    [TestCaseSource(nameof(RealReplies))]
    public void Classify_RealProviderReply_IsWhatTheReplySays(string source, long code, string message, string expected)
    {
        Assert.That(ProviderErrors.Classify(code, message).ToString(), Is.EqualTo(expected), $"{source}: {message}");
    }

    [Test]
    public void Table_EveryEntry_IsReachedByARealReply()
    {
        // An entry shadowed by an earlier one, or matching no wording actually sent, is dead weight that looks like coverage.
        var reached = RealReplies.Cast<object[]>().Select(c => ProviderErrors.Match((long)c[1], (string)c[2])).ToHashSet();

        Assert.That(ProviderErrors.Table.Where(p => !reached.Contains(p)).Select(p => $"{p.Source}: {p.Text}"), Is.Empty,
            "each wording in the table has a test with the message it was taken from");
    }

    [TestCase(-32000, "execution reverted", TestName = "Classify_Revert_IsOther")]
    [TestCase(-32000, "header not found", TestName = "Classify_HeaderNotFound_IsOther")]
    [TestCase(-32602, "invalid argument 0: hex number with leading zero digits", TestName = "Classify_BadParameter_IsOther")]
    [TestCase(-32000, "missing trie node 5a3c…", TestName = "Classify_PrunedState_IsOther")]
    public void Classify_UnrelatedError_IsOther(long code, string message)
    {
        Assert.That(ProviderErrors.Classify(code, message), Is.EqualTo(ProviderErrorKind.Other),
            "an error no entry knows must fail the pass visibly, not be retried as a limit");
    }

    [Test]
    public void IsRangeLimit_AnvilBlockOutOfRange_IsNotALimit()
    {
        // The old word list matched "range" here and halved the range while anvil was rewriting its chain.
        var error = new JsonRpcErrorException("eth_getLogs", "http://127.0.0.1:8545", -32000, "BlockOutOfRangeError: block height is 2101 but requested was 2100", null);

        Assert.Multiple(() =>
        {
            Assert.That(LogRangeSizer.IsRangeLimit(error), Is.False, "a head that moved is not a provider limit");
            Assert.That(ProviderErrors.SaysChainMoved(error.Code, error.RpcMessage), Is.True, "it is the chain moving: the pass starts over");
        });
    }

    [TestCase(-32005, "query returned more than 10000 results", true, TestName = "IsRangeLimit_ResultCountCap_Halves")]
    [TestCase(-32005, "project ID request rate exceeded", false, TestName = "IsRangeLimit_RateLimitOnLimitCode_DoesNotHalve")]
    [TestCase(-32000, "execution reverted", false, TestName = "IsRangeLimit_UnrelatedError_DoesNotHalve")]
    public void IsRangeLimit_JsonRpcError_HalvesOnlyOnCaps(long code, string message, bool halves)
    {
        var error = new JsonRpcErrorException("eth_getLogs", "https://node.test", code, message, null);

        Assert.That(LogRangeSizer.IsRangeLimit(error), Is.EqualTo(halves),
            halves ? "a cap of the range is met by a smaller range" : "a smaller range does not help, and with a rate limit only adds requests");
    }

    // The kind travels as its name: the enum is internal and NUnit test methods are public.
    private static object[] Case(string source, long code, string message, ProviderErrorKind expected) => [source, code, message, expected.ToString()];
}
