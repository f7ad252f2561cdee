using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Rpc;

/// <summary>
/// The read-only slice of the Ethereum JSON-RPC API the daemon needs, methods named as on the wire. Every reply is
/// checked for shape; a malformed one becomes an <see cref="RpcProtocolException"/> that names method, endpoint and
/// the offending field.
/// </summary>
public sealed class EvmRpcClient(JsonRpcClient rpc)
{
    // ERC-20 selectors: first four bytes of keccak256 of the signature.
    private const string TotalSupplySelector = "0x18160ddd";
    private const string BalanceOfSelector = "0x70a08231";

    public JsonRpcClient Transport { get; } = rpc;

    public Task<long> eth_chainId(CancellationToken cancellationToken) =>
        Transport.CallAsync("eth_chainId", [], r => ReadQuantity(r, "eth_chainId", "chain id"), cancellationToken);

    public async Task<long> eth_chainId(RpcEndpoint endpoint, CancellationToken cancellationToken) =>
        ReadQuantity(await Transport.CallEndpointAsync(endpoint, "eth_chainId", [], cancellationToken), "eth_chainId", "chain id", endpoint.Label);

    public Task<long> eth_blockNumber(CancellationToken cancellationToken) =>
        Transport.CallAsync("eth_blockNumber", [], r => ReadQuantity(r, "eth_blockNumber", "block number"), cancellationToken);

    /// <summary>
    /// Chain id, head and (when <paramref name="anchor"/> is given) that block's header from one named endpoint in one
    /// batch, without failover: what the indexer needs to decide whether the endpoint may be trusted.
    /// </summary>
    public async Task<(long ChainId, long Head, EvmBlock? Anchor)> ProbeAsync(RpcEndpoint endpoint, long? anchor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        List<JsonRpcRequest> requests = [new("eth_chainId"), new("eth_blockNumber")];
        if (anchor is { } number)
        {
            requests.Add(new JsonRpcRequest("eth_getBlockByNumber", EvmHex.Quantity(number), false));
        }

        var results = await Transport.BatchEndpointAsync(endpoint, requests, cancellationToken);
        var chainId = ReadQuantity(results[0].GetResultOrThrow(), "eth_chainId", "chain id", endpoint.Label);
        var head = ReadQuantity(results[1].GetResultOrThrow(), "eth_blockNumber", "block number", endpoint.Label);
        var block = anchor is null ? null : ReadBlock(results[2].GetResultOrThrow(), anchor, endpoint.Label);
        return (chainId, head, block);
    }

    /// <summary>A block by number, or null when the node has none there (beyond its head, or a tag it does not support yet).</summary>
    public Task<EvmBlock?> eth_getBlockByNumber(long number, CancellationToken cancellationToken) =>
        Transport.CallAsync("eth_getBlockByNumber", [EvmHex.Quantity(number), false], r => ReadBlock(r, number), cancellationToken);

    /// <summary>A block by tag: latest, safe, finalized.</summary>
    public Task<EvmBlock?> eth_getBlockByNumber(string tag, CancellationToken cancellationToken) =>
        Transport.CallAsync("eth_getBlockByNumber", [tag, false], r => ReadBlock(r, null), cancellationToken);

    /// <summary>Several blocks in one batch; entries are null where the node has no such block.</summary>
    public Task<IReadOnlyList<EvmBlock?>> GetBlocksAsync(IReadOnlyList<long> numbers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var requests = numbers.Select(n => new JsonRpcRequest("eth_getBlockByNumber", EvmHex.Quantity(n), false)).ToList();
        return Transport.BatchAsync<IReadOnlyList<EvmBlock?>>(
            requests, results => results.Select((r, i) => ReadBlock(r.GetResultOrThrow(), numbers[i])).ToList(), cancellationToken);
    }

    /// <summary>
    /// The token's logs in a block range, read item by item off the response stream. More than
    /// <paramref name="maxLogs"/> logs stop the read with <see cref="ReplyTooLargeException"/>, so one reply never
    /// holds more than that in memory; the caller asks again for a smaller range.
    /// </summary>
    public Task<IReadOnlyList<EvmLog>> eth_getLogs(
        string address, IReadOnlyList<string> topic0s, long fromBlock, long toBlock, CancellationToken cancellationToken, int maxLogs = int.MaxValue)
    {
        var filter = new Dictionary<string, object>
        {
            ["address"] = address,
            ["fromBlock"] = EvmHex.Quantity(fromBlock),
            ["toBlock"] = EvmHex.Quantity(toBlock),
            ["topics"] = new object[] { topic0s },
        };
        var reader = new EvmLogReader();
        return Transport.CallArrayAsync<EvmLog>("eth_getLogs", [filter], "logs", reader.Read, maxLogs, cancellationToken);
    }

    public async Task<byte[]> eth_getCode(string address, string blockTag, CancellationToken cancellationToken)
    {
        return await Transport.CallAsync("eth_getCode", [address, blockTag], r => ReadBytes(r, "eth_getCode"), cancellationToken);
    }

    public async Task<byte[]> eth_call(string to, string data, long block, CancellationToken cancellationToken)
    {
        return await Transport.CallAsync(
            "eth_call", [new Dictionary<string, string> { ["to"] = to, ["data"] = data }, EvmHex.Quantity(block)], r => ReadBytes(r, "eth_call"), cancellationToken);
    }

    /// <summary>One 32-byte storage word at a block (the EIP-1967 slots of the governance proof).</summary>
    public async Task<string> eth_getStorageAt(string address, string slot, long block, CancellationToken cancellationToken)
    {
        var word = await Transport.CallAsync("eth_getStorageAt", [address, slot, EvmHex.Quantity(block)], r => ReadBytes(r, "eth_getStorageAt"), cancellationToken);
        if (word.Length > 32)
        {
            throw Malformed("eth_getStorageAt", $"slot {slot} returned {word.Length} bytes, more than a 32-byte word");
        }

        return "0x" + Convert.ToHexStringLower(new byte[32 - word.Length].Concat(word).ToArray());
    }

    /// <summary>ERC-20 totalSupply() at a block. A token without code there (not yet deployed) has supply zero.</summary>
    public Task<TokenAmount> TotalSupplyAsync(string token, long block, CancellationToken cancellationToken) =>
        CallUint256Async(token, TotalSupplySelector, block, "totalSupply()", cancellationToken);

    /// <summary>ERC-20 balanceOf(holder) at a block.</summary>
    public Task<TokenAmount> BalanceOfAsync(string token, string holder, long block, CancellationToken cancellationToken)
    {
        var data = BalanceOfSelector + new string('0', 24) + EvmHex.NormalizeAddress(holder)[2..];
        return CallUint256Async(token, data, block, "balanceOf(address)", cancellationToken);
    }

    // The word is checked where the reply arrived, so a short or oversized answer fails that endpoint over.
    private Task<TokenAmount> CallUint256Async(string to, string data, long block, string function, CancellationToken cancellationToken) =>
        Transport.CallAsync(
            "eth_call",
            [new Dictionary<string, string> { ["to"] = to, ["data"] = data }, EvmHex.Quantity(block)],
            r => ReadUint256(ReadBytes(r, "eth_call"), function),
            cancellationToken);

    private TokenAmount ReadUint256(byte[] word, string function)
    {
        if (word.Length == 0)
        {
            return TokenAmount.Zero;
        }

        if (word.Length != 32)
        {
            throw Malformed("eth_call", $"{function} returned {word.Length} bytes, not a 32-byte uint256");
        }

        return TokenAmount.ParseHex("0x" + Convert.ToHexString(word));
    }

    private long ReadQuantity(JsonElement result, string method, string what, string? endpoint = null)
    {
        try
        {
            return EvmHex.ParseQuantity(result.ValueKind == JsonValueKind.String ? result.GetString() : null, what);
        }
        catch (FormatException ex)
        {
            throw Malformed(method, ex.Message, endpoint);
        }
    }

    private byte[] ReadBytes(JsonElement result, string method)
    {
        try
        {
            return EvmHex.ParseBytes(result.ValueKind == JsonValueKind.String ? result.GetString() : null, "result");
        }
        catch (FormatException ex)
        {
            throw Malformed(method, ex.Message);
        }
    }

    private EvmBlock? ReadBlock(JsonElement result, long? expectedNumber, string? endpoint = null)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            if (result.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"block is a JSON {result.ValueKind}, not an object");
            }

            var number = EvmHex.ParseQuantity(GetString(result, "number"), "block number");
            if (expectedNumber is { } expected && number != expected)
            {
                throw new FormatException($"asked for block {expected} but got block {number}");
            }

            var hash = EvmHex.ParseData(GetString(result, "hash"), 32, "block hash");
            var parent = EvmHex.ParseData(GetString(result, "parentHash"), 32, "parentHash");
            var timestamp = EvmHex.ParseQuantity(GetString(result, "timestamp"), "timestamp");
            return new EvmBlock(number, hash, parent, DateTimeOffset.FromUnixTimeSeconds(timestamp));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw Malformed("eth_getBlockByNumber", ex.Message, endpoint);
        }
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private RpcProtocolException Malformed(string method, string message, string? endpoint = null) =>
        new(method, endpoint ?? Transport.PreferredEndpoint.Label, message);
}
