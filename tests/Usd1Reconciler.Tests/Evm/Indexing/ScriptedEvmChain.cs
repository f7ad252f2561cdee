using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>
/// An EVM chain in memory that answers the JSON-RPC the indexer sends (single calls and batches, over a real
/// <see cref="HttpClient"/>): headers linked parentHash ⇒ hash, and the token's Transfer logs from and to the zero
/// address. A test mines blocks and reorganises the tip between passes, so the fork walk runs against exactly the chain
/// the test wrote, without a node. Every block ever mined has its own hash, so a replaced block never matches its
/// predecessor at the same height.
/// </summary>
internal sealed class ScriptedEvmChain : HttpMessageHandler
{
    public const long ChainId = 31337;
    public const string Token = "0x00000000000000000000000000000000000000d1";
    private const string ZeroWord = "0x0000000000000000000000000000000000000000000000000000000000000000";
    /// <summary>Whether logs carry their block's time (<c>blockTimestamp</c>), as geth's do.</summary>
    public bool SendsBlockTimestamp { get; set; }

    /// <summary>A block whose logs' <c>blockTimestamp</c> is a second off its header's (a broken node).</summary>
    public long SkewsBlockTimestampOf { get; set; } = -1;

    /// <summary>Block n is stamped GenesisTime + 12 n seconds.</summary>
    public const long GenesisTime = 1_750_000_000;

    private readonly Lock _gate = new();
    private readonly List<Block> _blocks = [];
    private int _minted;

    public ScriptedEvmChain() => _blocks.Add(NewBlock(0, ZeroWord, []));

    public Uri Url { get; } = new("http://scripted-chain.invalid/");

    /// <summary>Highest block of the canonical chain.</summary>
    public long Head
    {
        get
        {
            lock (_gate)
            {
                return _blocks.Count - 1;
            }
        }
    }

    /// <summary>JSON-RPC methods asked, one entry per call (a batch counts each of its calls).</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Appends one block holding <paramref name="transfers"/>, in log order.</summary>
    public ScriptedEvmChain Mine(params ScriptedTransfer[] transfers)
    {
        lock (_gate)
        {
            _blocks.Add(NewBlock(_blocks.Count, _blocks[^1].Hash, transfers));
        }

        return this;
    }

    /// <summary>Appends <paramref name="count"/> blocks, one mint of <paramref name="amount"/> to <paramref name="holder"/> in each.</summary>
    public ScriptedEvmChain MineMints(int count, string holder, BigInteger amount)
    {
        for (var i = 0; i < count; i++)
        {
            Mine(ScriptedTransfer.Mint(holder, amount + i));
        }

        return this;
    }

    /// <summary>Drops the top <paramref name="depth"/> blocks: the next <see cref="Mine"/> builds the fork on the block below them.</summary>
    public ScriptedEvmChain Abandon(int depth)
    {
        lock (_gate)
        {
            _blocks.RemoveRange(_blocks.Count - depth, depth);
        }

        return this;
    }

    /// <summary>Hash of the canonical block at <paramref name="number"/>.</summary>
    public string HashAt(long number)
    {
        lock (_gate)
        {
            return _blocks[(int)number].Hash;
        }
    }

    /// <summary>totalSupply() at <paramref name="block"/> on the canonical chain: Σ mints − Σ burns up to it.</summary>
    public BigInteger TotalSupplyAt(long block)
    {
        lock (_gate)
        {
            return TotalSupplyAtUnlocked(block);
        }
    }

    /// <summary>
    /// The canonical chain's supply events as (tx, log index, kind, holder, amount, block, block hash) keys — what the
    /// store must hold, each exactly once.
    /// </summary>
    public IReadOnlyList<string> EventKeys()
    {
        lock (_gate)
        {
            return _blocks
                .SelectMany(b => b.Transfers.Select((t, i) => Key(TxHash(b, i), i, t.Kind, t.Holder, t.Amount.ToString(CultureInfo.InvariantCulture), b.Number, b.Hash)))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    public static string Key(string tx, int position, SupplyEventKind kind, string holder, string amount, long block, string blockHash) =>
        $"{tx}/{position}/{kind}/{holder}/{amount}/{block}/{blockHash}";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        string reply;
        lock (_gate)
        {
            reply = root.ValueKind == JsonValueKind.Array
                ? new JsonArray(root.EnumerateArray().Select(call => (JsonNode?)Answer(call)).ToArray()).ToJsonString()
                : Answer(root).ToJsonString();
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(reply, Encoding.UTF8, "application/json") };
    }

    private JsonObject Answer(JsonElement call)
    {
        var method = call.GetProperty("method").GetString()!;
        lock (Calls)
        {
            Calls.Add(method);
        }

        var parameters = call.TryGetProperty("params", out var p) ? p : default;
        var reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(call.GetProperty("id").GetRawText()) };
        JsonNode? result;
        switch (method)
        {
            case "eth_chainId":
                result = Quantity(ChainId);
                break;
            case "eth_blockNumber":
                result = Quantity(_blocks.Count - 1);
                break;
            case "eth_getBlockByNumber":
                var tag = parameters[0].GetString()!;
                var number = tag == "latest" ? _blocks.Count - 1 : ParseQuantity(tag);
                result = number < _blocks.Count ? Header(_blocks[(int)number]) : null;
                break;
            case "eth_getLogs":
                var filter = parameters[0];
                result = Logs(
                    filter.GetProperty("address").GetString()!,
                    ParseQuantity(filter.GetProperty("fromBlock").GetString()!),
                    ParseQuantity(filter.GetProperty("toBlock").GetString()!));
                break;
            case "eth_getCode":
                result = "0x6080604052";
                break;
            case "eth_call":
                result = Word(TotalSupplyAtUnlocked(ParseQuantity(parameters[1].GetString()!)));
                break;
            default:
                reply["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"the method {method} does not exist/is not available" };
                return reply;
        }

        reply["result"] = result;
        return reply;
    }

    private BigInteger TotalSupplyAtUnlocked(long block) =>
        _blocks.Take((int)Math.Min(block, _blocks.Count - 1) + 1)
            .SelectMany(b => b.Transfers)
            .Aggregate(BigInteger.Zero, (sum, t) => t.Kind == SupplyEventKind.Mint ? sum + t.Amount : sum - t.Amount);

    private JsonArray Logs(string address, long from, long to)
    {
        var logs = new JsonArray();
        if (!string.Equals(address, Token, StringComparison.OrdinalIgnoreCase))
        {
            return logs;
        }

        for (var n = from; n <= Math.Min(to, _blocks.Count - 1); n++)
        {
            var block = _blocks[(int)n];
            for (var i = 0; i < block.Transfers.Count; i++)
            {
                var transfer = block.Transfers[i];
                var holder = AddressWord(transfer.Holder);
                logs.Add(new JsonObject
                {
                    ["address"] = Token,
                    ["topics"] = new JsonArray(
                        EventTopics.Transfer,
                        transfer.Kind == SupplyEventKind.Mint ? ZeroWord : holder,
                        transfer.Kind == SupplyEventKind.Mint ? holder : ZeroWord),
                    ["data"] = Word(transfer.Amount),
                    ["blockNumber"] = Quantity(block.Number),
                    ["blockHash"] = block.Hash,
                    ["transactionHash"] = TxHash(block, i),
                    ["transactionIndex"] = Quantity(i),
                    ["logIndex"] = Quantity(i),
                    ["removed"] = false,
                });
                if (SendsBlockTimestamp)
                {
                    logs[^1]!["blockTimestamp"] = Quantity(GenesisTime + (block.Number * 12) + (block.Number == SkewsBlockTimestampOf ? 1 : 0));
                }
            }
        }

        return logs;
    }

    private static JsonObject Header(Block block) => new()
    {
        ["number"] = Quantity(block.Number),
        ["hash"] = block.Hash,
        ["parentHash"] = block.ParentHash,
        ["timestamp"] = Quantity(GenesisTime + (block.Number * 12)),
    };

    private Block NewBlock(long number, string parentHash, IReadOnlyList<ScriptedTransfer> transfers) =>
        new(number, Hash($"block {_minted++}"), parentHash, transfers);

    private static string TxHash(Block block, int index) => Hash($"tx {block.Hash} {index}");

    private static string Hash(string seed) => "0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static long ParseQuantity(string hex) => long.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static string Word(BigInteger value) => "0x" + value.ToString("x64", CultureInfo.InvariantCulture)[^64..];

    private static string AddressWord(string address) => "0x" + new string('0', 24) + address[2..];

    private sealed record Block(long Number, string Hash, string ParentHash, IReadOnlyList<ScriptedTransfer> Transfers);
}
