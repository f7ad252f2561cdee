using System.Text.Json.Nodes;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>
/// Hostile input catalogue: RPC replies spoiled one field at a time by the proxy in front of a real anvil (the rest of
/// the reply is the node's real answer), and broken configurations. Each must end in its specific error, naming the
/// network and endpoint where an RPC reply is to blame, and leave the store exactly as it was. Reserve-feed cases
/// belong to the feeds' own tests (not covered here).
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Resilience")]
public sealed class HostileInputCatalogueTests
{
    private const string Zero = "0x0000000000000000000000000000000000000000000000000000000000000000";
    private const string Hash = "0x1111111111111111111111111111111111111111111111111111111111111111";

    private AnvilNode _node = null!;
    private EvmTestChain _chain = null!;
    private string _token = null!;
    private FaultProxy _proxy = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _node = await AnvilNode.StartAsync();
        _chain = new EvmTestChain(_node);
        _token = await _chain.DeployPlainAsync();
        _proxy = await FaultProxy.StartAsync(_node.Url);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _proxy.DisposeAsync();
        await _node.DisposeAsync();
    }

    private static JsonNode? FirstLog(JsonNode? real) => real!.AsArray()[0];

    /// <summary>The node's real logs with the first one changed by <paramref name="spoil"/>.</summary>
    private static Func<JsonArray?, JsonNode?, string> SpoilFirstLog(Action<JsonObject> spoil) => (_, real) =>
    {
        var logs = real!.DeepClone().AsArray();
        spoil(logs[0]!.AsObject());
        return logs.ToJsonString();
    };

    /// <summary>The node's real block with one field changed (or removed, when <paramref name="value"/> is null).</summary>
    private static Func<JsonArray?, JsonNode?, string> SpoilBlock(string field, JsonNode? value, bool remove = false) => (_, real) =>
    {
        if (real is not JsonObject block)
        {
            return "null";
        }

        var copy = block.DeepClone().AsObject();
        if (remove)
        {
            copy.Remove(field);
        }
        else
        {
            copy[field] = value?.DeepClone();
        }

        return copy.ToJsonString();
    };

    public static IEnumerable<TestCaseData> RpcCases()
    {
        static TestCaseData Raw(string method, string result, string expected) =>
            new TestCaseData(method, result, null, expected, result).SetName($"RunPass_{method}Returns({Trim(result)})_{Trim(expected)}");
        static TestCaseData Made(string name, string method, Func<JsonArray?, JsonNode?, string> factory, string expected) =>
            new TestCaseData(method, null, factory, expected, name).SetName($"RunPass_{method}{name}_{Trim(expected)}");

        // eth_blockNumber: quantities must be 0x-prefixed hex that fits a non-negative long.
        yield return Raw("eth_blockNumber", "null", "block number is missing");
        yield return Raw("eth_blockNumber", "\"123\"", "is not a 0x-prefixed hex quantity");
        yield return Raw("eth_blockNumber", "\"0x\"", "is not a 0x-prefixed hex quantity");
        yield return Raw("eth_blockNumber", "\"-0x1\"", "is not a 0x-prefixed hex quantity");
        yield return Raw("eth_blockNumber", "\"0xzz\"", "does not fit a non-negative 64-bit integer");
        yield return Raw("eth_blockNumber", "\"0x1ffffffffffffffff\"", "does not fit a non-negative 64-bit integer");
        yield return Raw("eth_blockNumber", "\"0xffffffffffffffff\"", "does not fit a non-negative 64-bit integer");
        yield return Raw("eth_blockNumber", "12", "block number is missing");
        yield return Raw("eth_blockNumber", "{}", "block number is missing");
        yield return Raw("eth_blockNumber", "[]", "block number is missing");

        // eth_chainId
        yield return Raw("eth_chainId", "null", "chain id is missing");
        yield return Raw("eth_chainId", "\"7a69\"", "is not a 0x-prefixed hex quantity");
        yield return Raw("eth_chainId", "\"0x7a69 \"", "does not fit a non-negative 64-bit integer");

        // eth_getBlockByNumber: every field checked, none defaulted.
        yield return Raw("eth_getBlockByNumber", "\"0x1\"", "block is a JSON String, not an object");
        yield return Raw("eth_getBlockByNumber", "[]", "block is a JSON Array, not an object");
        yield return Raw("eth_getBlockByNumber", "{}", "block number is missing");
        yield return Made("MissingHash", "eth_getBlockByNumber", SpoilBlock("hash", null, remove: true), "block hash is missing");
        yield return Made("HashWithout0x", "eth_getBlockByNumber", SpoilBlock("hash", JsonValue.Create(Hash[2..] + "11")), "is not 0x followed by 64 hex digits");
        yield return Made("Hash31Bytes", "eth_getBlockByNumber", SpoilBlock("hash", JsonValue.Create(Hash[..^2])), "is not 0x followed by 64 hex digits");
        yield return Made("ParentHashNull", "eth_getBlockByNumber", SpoilBlock("parentHash", null), "parentHash is missing");
        yield return Made("TimestampBeyond64Bit", "eth_getBlockByNumber", SpoilBlock("timestamp", JsonValue.Create("0x1ffffffffffffffff")), "timestamp");
        yield return Made("TimestampBeyondCalendar", "eth_getBlockByNumber", SpoilBlock("timestamp", JsonValue.Create("0x7fffffffffffffff")), "Valid values are between");
        yield return Made("NumberNotAsked", "eth_getBlockByNumber", SpoilBlock("number", JsonValue.Create("0x7777")), "asked for block");
        yield return Made("NumberNegative", "eth_getBlockByNumber", SpoilBlock("number", JsonValue.Create("-0x1")), "is not a 0x-prefixed hex quantity");

        // eth_getLogs: the node's real logs with one field spoiled.
        yield return Raw("eth_getLogs", "{}", "expected an array of logs, got Object");
        yield return Raw("eth_getLogs", "null", "expected an array of logs, got Null");
        yield return Raw("eth_getLogs", "[" + string.Join(",", Enumerable.Repeat("null", 200_000)) + "]", "log is a JSON Null, not an object");
        yield return Made("LogIsAString", "eth_getLogs", (_, _) => "[\"0xdeadbeef\"]", "log is a JSON String, not an object");
        yield return Made("TransferWithTwoTopics", "eth_getLogs", SpoilFirstLog(l => l["topics"]!.AsArray().RemoveAt(2)), "Transfer has 2 topics, an ERC-20 Transfer has 3");
        yield return Made("TransferWithFourTopics", "eth_getLogs", SpoilFirstLog(l => l["topics"]!.AsArray().Add(Hash)), "Transfer has 4 topics, an ERC-20 Transfer has 3");
        yield return Made("MintEventWithTwoTopics", "eth_getLogs", SpoilFirstLog(l => l["topics"] = new JsonArray(EventTopics.Mint, Zero)), "Mint(address,address,uint256) has 2 topics, expected 3");
        yield return Made("TopicsNotAnArray", "eth_getLogs", SpoilFirstLog(l => l["topics"] = "0x1"), "log has no topics array");
        yield return Made("TopicWithout0x", "eth_getLogs", SpoilFirstLog(l => l["topics"]![1] = Zero[2..] + "00"), "is not 0x followed by 64 hex digits");
        yield return Made("Topic31Bytes", "eth_getLogs", SpoilFirstLog(l => l["topics"]![1] = Zero[..^2]), "is not 0x followed by 64 hex digits");
        yield return Made("AddressTopicNotZeroPadded", "eth_getLogs", SpoilFirstLog(l => l["topics"]![2] = Hash), "is not a zero-padded address");
        yield return Made("DataOddLength", "eth_getLogs", SpoilFirstLog(l => l["data"] = "0x123"), "log data is not 0x-prefixed hex of whole bytes");
        yield return Made("DataWithout0x", "eth_getLogs", SpoilFirstLog(l => l["data"] = Zero[2..]), "log data is not 0x-prefixed hex of whole bytes");
        yield return Made("DataNull", "eth_getLogs", SpoilFirstLog(l => l["data"] = null), "log data is not 0x-prefixed hex of whole bytes");
        yield return Made("AmountBeyondUint256", "eth_getLogs", SpoilFirstLog(l => l["data"] = "0x01" + new string('f', 64)), "data holds 33 bytes, expected 32");
        yield return Made("DataTwoWords", "eth_getLogs", SpoilFirstLog(l => l["data"] = Zero + Zero[2..]), "data holds 64 bytes, expected 32");
        yield return Made("LogIndexBeyondInt", "eth_getLogs", SpoilFirstLog(l => l["logIndex"] = "0x1ffffffff"), "logIndex 8589934591 is out of range");
        yield return Made("LogIndexMissing", "eth_getLogs", SpoilFirstLog(l => l.Remove("logIndex")), "logIndex is missing");
        yield return Made("BlockNumberMissing", "eth_getLogs", SpoilFirstLog(l => l.Remove("blockNumber")), "log blockNumber is missing");
        yield return Made("BlockNumberNegative", "eth_getLogs", SpoilFirstLog(l => l["blockNumber"] = "-0x5"), "is not a 0x-prefixed hex quantity");
        yield return Made("BlockHashNull", "eth_getLogs", SpoilFirstLog(l => l["blockHash"] = null), "log blockHash is missing");
        yield return Made("TransactionHashShort", "eth_getLogs", SpoilFirstLog(l => l["transactionHash"] = "0x12"), "log transactionHash '0x12' is not 0x followed by 64 hex digits");
        yield return Made("AddressNot20Bytes", "eth_getLogs", SpoilFirstLog(l => l["address"] = "0x1234"), "log address '0x1234' is not 0x followed by 40 hex digits");
        yield return Made("LogOfAnotherContract", "eth_getLogs", SpoilFirstLog(l => l["address"] = "0x000000000000000000000000000000000000dead"), "outside the filter");
        yield return Made("LogOutsideAskedRange", "eth_getLogs", SpoilFirstLog(l => l["blockNumber"] = "0xfffff"), "outside the filter");
    }

    [TestCaseSource(nameof(RpcCases))]
    public async Task RpcReply_Hostile_SpecificErrorStoreUnchanged(string method, string? result, Func<JsonArray?, JsonNode?, string>? factory, string expected, string label)
    {
        using var harness = new EvmIndexerHarness(_node, _token, confirmations: 2);
        var logs = new CapturedLogs();
        EvmIndexer NewIndexer() => EvmIndexer.Create(
            harness.Settings with { RpcUrls = [_proxy.Url], Resilience = RpcResilienceOptions.NoRetry },
            harness.Store, new HttpClient(), TimeProvider.System, logs, harness.Store);
        await NewIndexer().RunPassAsync(CancellationToken.None);
        await _chain.MintAsync(_token, EvmTestChain.Alice, 5_000);
        await _chain.PlainBurnAsync(_token, EvmTestChain.Alice, 1_000);
        await _chain.MineAsync(3);
        var before = await SnapshotAsync(harness);

        _proxy.HostileMethods = new HashSet<string> { method };
        _proxy.HostileResult = result ?? "null";
        _proxy.HostileFactory = factory;
        _proxy.Always(FaultKind.HostileResult, method);
        Exception? failure;
        try
        {
            await NewIndexer().RunPassAsync(CancellationToken.None);
            failure = null;
        }
        catch (Exception ex) when (ex is RpcUnavailableException or RpcProtocolException or EvmLogFormatException)
        {
            failure = ex;
        }
        finally
        {
            _proxy.Always(FaultKind.None);
            _proxy.HostileFactory = null;
        }

        Assert.That(failure, Is.Not.Null, $"a hostile {method} reply must fail the pass, not be indexed");
        Assert.That(failure!.Message, Does.Contain(expected), "the error says exactly what was wrong");
        if (failure is not EvmLogFormatException)
        {
            // The host prefixes every failure with the network; RPC failures name the endpoint themselves (never its secret path).
            Assert.That(failure.Message, Does.Contain($"127.0.0.1:{_proxy.Url.Port}").And.Not.Contain("SECRET"), "the endpoint is named by scheme://host:port");
        }

        Assert.That(await SnapshotAsync(harness), Is.EqualTo(before), "the store is exactly as before the hostile reply");
        ReliabilityLog.Record("hostile RPC reply", $"{method} → {Trim(label, 60)}",
            $"{failure.GetType().Name}: …{Excerpt(failure.Message, expected)}; store unchanged");
    }

    public static IEnumerable<TestCaseData> TotalSupplyCases()
    {
        yield return new TestCaseData("\"0x" + new string('0', 62) + "\"", "returned 31 bytes, not a 32-byte uint256");
        yield return new TestCaseData("\"0x" + new string('f', 66) + "\"", "returned 33 bytes, not a 32-byte uint256");
        yield return new TestCaseData("null", "is not 0x-prefixed hex data of whole bytes");
        yield return new TestCaseData("\"0xzz\"", "is not 0x-prefixed hex data of whole bytes");
    }

    [TestCaseSource(nameof(TotalSupplyCases))]
    public async Task EthCallTotalSupply_Hostile_ProofStaleNoReadingStored(string result, string expected)
    {
        using var harness = new EvmIndexerHarness(_node, _token, confirmations: 2);
        var logs = new CapturedLogs();
        var indexer = EvmIndexer.Create(harness.Settings with { RpcUrls = [_proxy.Url], Resilience = RpcResilienceOptions.NoRetry }, harness.Store, new HttpClient(), TimeProvider.System, logs, harness.Store);
        await indexer.RunPassAsync(CancellationToken.None);
        await _chain.MineAsync(3);
        var proofBefore = (await harness.SupplyAsync()).LatestProof;

        _proxy.HostileMethods = new HashSet<string> { "eth_call" };
        _proxy.HostileResult = result;
        _proxy.Always(FaultKind.HostileResult, "eth_call");
        IndexPassResult pass;
        try
        {
            pass = await indexer.RunPassAsync(CancellationToken.None);
        }
        finally
        {
            _proxy.Always(FaultKind.None);
        }

        Assert.That(pass.Proof, Is.EqualTo(LedgerProofStatus.Stale), "an unreadable totalSupply() proves nothing");
        Assert.That((await harness.SupplyAsync()).LatestProof, Is.EqualTo(proofBefore), "no reading is stored from a hostile reply");
        Assert.That(logs.Text, Does.Contain(expected).And.Contain("network anvil"), "the warning names the network and the fault");
        ReliabilityLog.Record("hostile RPC reply", $"eth_call totalSupply() → {Trim(result, 40)}", $"ledger proof stale, warning '…{expected}…', no reading stored");
    }

    public static IEnumerable<TestCaseData> ConfigCases()
    {
        const string Good = "\"Name\":\"a\",\"Kind\":\"Evm\",\"ChainId\":1,\"RpcUrls\":[\"http://127.0.0.1:1\"],\"Token\":\"0x1111111111111111111111111111111111111111\"";
        static TestCaseData Case(string network, string expected) => new TestCaseData(network, expected).SetName($"Index_Config({Trim(expected, 40)})_ExitTwoStoreUntouched");
        yield return Case(Good.Replace("\"Name\":\"a\"", "\"Name\":\"a b\"", StringComparison.Ordinal), "Networks:0:Name:");
        yield return Case(Good.Replace("[\"http://127.0.0.1:1\"]", "[]", StringComparison.Ordinal), "Networks:0:RpcUrls: at least one RPC URL is required");
        yield return Case(Good.Replace("http://127.0.0.1:1", "ftp://127.0.0.1:1", StringComparison.Ordinal), "Networks:0:RpcUrls:0: not an absolute http(s) URL");
        yield return Case(Good.Replace("http://127.0.0.1:1", "/relative/path", StringComparison.Ordinal), "Networks:0:RpcUrls:0: not an absolute http(s) URL");
        yield return Case(Good.Replace("\"ChainId\":1", "\"ChainId\":0", StringComparison.Ordinal), "Networks:0:ChainId:");
        yield return Case(Good.Replace("0x1111111111111111111111111111111111111111", "0x1111", StringComparison.Ordinal), "Networks:0:Token:");
        yield return Case(Good.Replace("0x1111111111111111111111111111111111111111", "0xZZ11111111111111111111111111111111111111", StringComparison.Ordinal), "Networks:0:Token:");
        yield return Case(Good + ",\"StartBlock\":-1", "Networks:0:StartBlock: must not be negative");
        yield return Case(Good + ",\"Confirmations\":-1", "Networks:0:Confirmations: must not be negative");
        yield return Case(Good + ",\"MaxBlockRange\":0", "Networks:0:MaxBlockRange:");
        yield return Case(Good + ",\"MaxHeadLag\":-5", "Networks:0:MaxHeadLag: must not be negative");
        yield return Case(Good + ",\"RequestTimeout\":\"00:00:00\"", "Networks:0:RequestTimeout: must be positive");
        yield return Case(Good.Replace("\"Kind\":\"Evm\",", string.Empty, StringComparison.Ordinal), "Networks:0:Kind: required");
        yield return Case("\"Name\":\"s\",\"Kind\":\"Solana\",\"RpcUrls\":[\"http://127.0.0.1:1\"],\"Mint\":\"0OIl\"", "Networks:0:Mint:");
        yield return Case("\"Name\":\"s\",\"Kind\":\"Solana\",\"RpcUrls\":[\"http://127.0.0.1:1\"],\"Mint\":\"So11111111111111111111111111111111111111112\",\"Commitment\":\"processed\"", "Networks:0:Commitment:");
    }

    [TestCaseSource(nameof(ConfigCases))]
    public async Task Index_HostileConfig_ExitTwoNamingTheKeyStoreUntouched(string network, string expected)
    {
        using var dir = new TempDirectory("hostile-config");
        var storePath = dir.File("store.db");
        _ = Storage.Sqlite.SqliteSupplyStore.Open(storePath, TimeProvider.System);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(storePath);
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Path":"store.db"},"Networks":[{{{network}}}]}""");

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["index", "--config", config, "--once"]).InvokeAsync();

        Assert.That(exit, Is.EqualTo(ExitCodes.InvalidConfiguration), error.ToString());
        Assert.That(error.ToString(), Does.Contain(expected), "the message names the key and the reason");
        Assert.That(await File.ReadAllBytesAsync(storePath), Is.EqualTo(bytes), "a bad configuration never touches the store");
        ReliabilityLog.Record("hostile config", Trim(network, 90), $"exit 2: {error.ToString().Split('\n').First(l => l.Contains(expected, StringComparison.Ordinal)).Trim()}; store untouched");
    }

    private static async Task<string> SnapshotAsync(EvmIndexerHarness harness)
    {
        var supply = await harness.SupplyAsync();
        var keys = await harness.StoredKeysAsync();
        return $"{supply.IndexedBlock}/{supply.FinalBlock}/{supply.IndexedSupply}/{supply.ProvisionalSupply}/{supply.Reorgs}/{supply.LatestProof}/{string.Join(";", keys)}";
    }

    private static string Excerpt(string message, string expected)
    {
        var at = message.IndexOf(expected, StringComparison.Ordinal);
        return at < 0 ? Trim(message, 120) : Trim(message[Math.Max(0, at - 40)..], 160);
    }

    private static string Trim(string text, int max = 48)
    {
        var clean = text.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return clean.Length <= max ? clean : clean[..max] + "…";
    }
}
