using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Solana.Rpc;

/// <summary>
/// The read-only slice of the Solana JSON-RPC API the daemon needs, methods named as on the wire. Every reply is checked
/// for shape; a malformed one becomes an <see cref="RpcProtocolException"/> naming method, endpoint and what was wrong.
/// u64 token amounts arrive as decimal strings and are parsed as <see cref="TokenAmount"/>, never through a double.
/// </summary>
public sealed partial class SolanaRpcClient(JsonRpcClient rpc)
{
    /// <summary>agave refuses more than 256 signatures in one getSignatureStatuses call.</summary>
    public const int MaxSignatureStatuses = 256;

    /// <summary>agave refuses a getSignaturesForAddress limit above 1000.</summary>
    public const int MaxSignaturesPerPage = 1000;

    private static readonly TokenAmount U64Max = new(ulong.MaxValue);

    public JsonRpcClient Transport { get; } = rpc;

    public async Task<long> getSlot(SolanaCommitment commitment, CancellationToken cancellationToken)
    {
        return await Transport.CallAsync("getSlot", [Config(commitment)], result =>
        {
            return ReadSlot(result, "getSlot", "result");
        }, cancellationToken);
    }

    public Task<string> getGenesisHash(CancellationToken cancellationToken) =>
        Transport.CallAsync("getGenesisHash", [], r => ReadGenesisHash(r, null), cancellationToken);

    /// <summary>Asks one named endpoint, without failover: every endpoint of a network must serve the same cluster.</summary>
    public async Task<string> getGenesisHash(RpcEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return ReadGenesisHash(await Transport.CallEndpointAsync(endpoint, "getGenesisHash", [], cancellationToken), endpoint.Label);
    }

    /// <summary>Genesis hash and confirmed slot of one named endpoint in one batch, without failover: what decides whether it may be trusted.</summary>
    public async Task<(string GenesisHash, long Slot)> ProbeAsync(RpcEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var results = await Transport.BatchEndpointAsync(
            endpoint, [new JsonRpcRequest("getGenesisHash"), new JsonRpcRequest("getSlot", Config(SolanaCommitment.Confirmed))], cancellationToken);
        try
        {
            return (ReadGenesisHash(results[0].GetResultOrThrow(), endpoint.Label), ReadSlot(results[1].GetResultOrThrow(), "getSlot", "result"));
        }
        catch (RpcProtocolException ex)
        {
            throw new RpcProtocolException(ex.Method, endpoint.Label, ex.Detail, ex);
        }
    }

    /// <summary>
    /// Signatures of transactions that referenced <paramref name="address"/>, newest first, strictly older than
    /// <paramref name="before"/> and strictly newer than <paramref name="until"/> when those are given.
    /// </summary>
    /// <param name="minContextSlot">When given, a node whose view is older refuses (-32016) instead of answering from stale history.</param>
    public async Task<IReadOnlyList<SolanaSignatureInfo>> getSignaturesForAddress(
        string address, string? before, string? until, int limit, SolanaCommitment commitment, CancellationToken cancellationToken, long? minContextSlot = null)
    {
        if (limit is < 1 or > MaxSignaturesPerPage)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"getSignaturesForAddress takes a limit of 1 to {MaxSignaturesPerPage}");
        }

        var config = Config(commitment);
        config["limit"] = limit;
        if (before is not null)
        {
            config["before"] = before;
        }

        if (until is not null)
        {
            config["until"] = until;
        }

        if (minContextSlot is not null)
        {
            config["minContextSlot"] = minContextSlot;
        }

        const string method = "getSignaturesForAddress";
        return await Transport.CallAsync(method, [address, config], result =>
        {
            if (result.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(method, $"expected an array of signatures, got {result.ValueKind}");
            }

            if (result.GetArrayLength() > limit)
            {
                throw Malformed(method, $"asked for at most {limit} signatures, got {result.GetArrayLength()}");
            }

            var list = new List<SolanaSignatureInfo>(result.GetArrayLength());
            var index = 0;
            foreach (var item in result.EnumerateArray())
            {
                var where = $"item {index++}";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed(method, $"{where} is a JSON {item.ValueKind}, not an object");
                }

                var signature = RequireString(item, "signature", method, where);
                var slot = ReadSlot(Require(item, "slot", method, where), method, $"{where}.slot");
                var failed = item.TryGetProperty("err", out var err) && err.ValueKind != JsonValueKind.Null;
                list.Add(new SolanaSignatureInfo(
                    signature, slot, failed, ReadBlockTime(item, method, where), OptionalString(item, "confirmationStatus", method, where)));
            }

            return list;
        }, cancellationToken);
    }

    /// <summary>
    /// One transaction in <c>jsonParsed</c> encoding, in any version the decoder knows (see
    /// <see cref="SolanaTransactionVersions"/>), or null when the node does not have it at that commitment. The
    /// envelope is checked here; <see cref="Decoding.SplSupplyDecoder"/> checks the instructions.
    /// </summary>
    /// <exception cref="UnsupportedTransactionVersionException">The transaction is in a version the decoder does not know.</exception>
    public async Task<JsonElement?> getTransaction(string signature, SolanaCommitment commitment, CancellationToken cancellationToken)
    {
        try
        {
            return await Transport.CallAsync("getTransaction", [signature, TransactionConfig(commitment)], result =>
            {
                return CheckTransaction(result, signature);
            }, cancellationToken);
        }
        catch (JsonRpcErrorException ex) when (ex.Code == SolanaTransactionVersions.UnsupportedVersionErrorCode)
        {
            throw new UnsupportedTransactionVersionException(signature, SolanaTransactionVersions.VersionNamedIn(ex.RpcMessage), ex);
        }
    }

    /// <summary>getTransaction for each signature in one JSON-RPC batch; entries are null where the node has no such transaction.</summary>
    /// <exception cref="UnsupportedTransactionVersionException">A transaction is in a version the decoder does not know (the first such, in request order).</exception>
    public async Task<IReadOnlyList<JsonElement?>> GetTransactionsAsync(
        IReadOnlyList<string> signatures, SolanaCommitment commitment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var config = TransactionConfig(commitment);
        var requests = signatures.Select(s => new JsonRpcRequest("getTransaction", s, config)).ToList();

        // A version refusal is the node's considered answer, the same from every endpoint: it is carried out of the
        // reader (which would otherwise treat it as this endpoint's fault) and thrown once the batch is read.
        var (transactions, unsupported) = await Transport.BatchAsync(requests, results =>
        {
            var read = new List<JsonElement?>(results.Count);
            UnsupportedTransactionVersionException? first = null;
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Error is { Code: SolanaTransactionVersions.UnsupportedVersionErrorCode } refusal)
                {
                    first ??= new UnsupportedTransactionVersionException(signatures[i], SolanaTransactionVersions.VersionNamedIn(refusal.RpcMessage), refusal);
                    read.Add(null);
                    continue;
                }

                try
                {
                    read.Add(CheckTransaction(results[i].GetResultOrThrow(), signatures[i]));
                }
                catch (UnsupportedTransactionVersionException ex)
                {
                    first ??= ex;
                    read.Add(null);
                }
            }

            return (read, first);
        }, cancellationToken);

        return unsupported is null ? transactions : throw unsupported;
    }

    public async Task<SolanaTokenSupply> getTokenSupply(string mint, SolanaCommitment commitment, CancellationToken cancellationToken)
    {
        const string method = "getTokenSupply";
        return await Transport.CallAsync(method, [mint, Config(commitment)], result =>
        {
            var (slot, amount, decimals) = ReadUiTokenAmount(result, method);
            return new SolanaTokenSupply(slot, amount, decimals);
        }, cancellationToken);
    }

    /// <summary>
    /// Status of each signature, in request order; null where the node knows no such transaction. With
    /// <paramref name="searchTransactionHistory"/> the node also looks beyond its recent status cache, so null then
    /// means the transaction is on no fork the node follows.
    /// </summary>
    public async Task<SolanaSignatureStatuses> getSignatureStatuses(
        IReadOnlyList<string> signatures, bool searchTransactionHistory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        if (signatures.Count > MaxSignatureStatuses)
        {
            throw new ArgumentOutOfRangeException(nameof(signatures), signatures.Count, $"getSignatureStatuses takes at most {MaxSignatureStatuses} signatures");
        }

        const string method = "getSignatureStatuses";
        var config = new Dictionary<string, object?> { ["searchTransactionHistory"] = searchTransactionHistory };
        return await Transport.CallAsync(method, [signatures, config], result =>
        {
            var (contextSlot, value) = ReadContext(result, method);
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != signatures.Count)
            {
                throw Malformed(method, $"value must be an array of {signatures.Count} statuses, got {Describe(value)}");
            }

            var statuses = new List<SolanaSignatureStatus?>(signatures.Count);
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var where = $"value[{index++}]";
                if (item.ValueKind == JsonValueKind.Null)
                {
                    statuses.Add(null);
                    continue;
                }

                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed(method, $"{where} is a JSON {item.ValueKind}, neither null nor an object");
                }

                var slot = ReadSlot(Require(item, "slot", method, where), method, $"{where}.slot");
                var failed = item.TryGetProperty("err", out var err) && err.ValueKind != JsonValueKind.Null;
                statuses.Add(new SolanaSignatureStatus(slot, failed, OptionalString(item, "confirmationStatus", method, where)));
            }

            return new SolanaSignatureStatuses(contextSlot, statuses);
        }, cancellationToken);
    }

    internal static string Wire(SolanaCommitment commitment) => commitment switch
    {
        SolanaCommitment.Processed => "processed",
        SolanaCommitment.Confirmed => "confirmed",
        SolanaCommitment.Finalized => "finalized",
        _ => throw new ArgumentOutOfRangeException(nameof(commitment), commitment, "unknown commitment"),
    };

    private static Dictionary<string, object?> Config(SolanaCommitment commitment) => new() { ["commitment"] = Wire(commitment) };

    private static Dictionary<string, object?> TransactionConfig(SolanaCommitment commitment) => new()
    {
        ["commitment"] = Wire(commitment),
        ["encoding"] = "jsonParsed",

        // The highest version the decoder knows. Without it a node answers -32015 for every versioned transaction;
        // with 0 it refuses every v1 one (SIMD-0385), so a v1 transaction of the mint would stop indexing for good.
        ["maxSupportedTransactionVersion"] = SolanaTransactionVersions.Highest,
    };

    private JsonElement? CheckTransaction(JsonElement result, string signature)
    {
        const string method = "getTransaction";
        if (result.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var where = $"transaction {signature}";
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"{where} is a JSON {result.ValueKind}, neither null nor an object");
        }

        ReadSlot(Require(result, "slot", method, where), method, $"{where}.slot");
        var transaction = Require(result, "transaction", method, where);
        if (transaction.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"{where}: 'transaction' is a JSON {transaction.ValueKind}; asked for jsonParsed, which is an object");
        }

        if (!transaction.TryGetProperty("signatures", out var signatures) || signatures.ValueKind != JsonValueKind.Array
            || signatures.GetArrayLength() == 0 || signatures[0].ValueKind != JsonValueKind.String)
        {
            throw Malformed(method, $"{where}: transaction.signatures is not a non-empty array of strings");
        }

        if (!string.Equals(signatures[0].GetString(), signature, StringComparison.Ordinal))
        {
            throw Malformed(method, $"asked for {signature} but the reply is transaction {signatures[0].GetString()}");
        }

        // Asked with maxSupportedTransactionVersion, agave always says which version it encoded ("legacy" included).
        if (SolanaTransactionVersions.Read(result, signature) is null)
        {
            throw Malformed(method, $"{where} lacks 'version' although maxSupportedTransactionVersion was sent; cannot tell which format was encoded");
        }

        return result;
    }

    private (long Slot, JsonElement Value) ReadContext(JsonElement result, string method)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"result is a JSON {result.ValueKind}, not an object with context and value");
        }

        var context = Require(result, "context", method, "result");
        if (context.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"context is a JSON {context.ValueKind}, not an object");
        }

        var slot = ReadSlot(Require(context, "slot", method, "context"), method, "context.slot");
        return (slot, Require(result, "value", method, "result"));
    }

    private string ReadGenesisHash(JsonElement result, string? endpoint)
    {
        // A genesis hash is a base58 SHA-256: 32 bytes, 43 or 44 characters.
        if (result.ValueKind != JsonValueKind.String || result.GetString() is not { Length: >= 32 and <= 44 } hash || !Base58Text.IsValid(hash))
        {
            throw Malformed("getGenesisHash", $"result is {Describe(result)}, not a base58 hash", endpoint);
        }

        return hash;
    }

    private long ReadSlot(JsonElement element, string method, string what)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var slot) || slot < 0)
        {
            throw Malformed(method, $"{what} is {Describe(element)}, not a slot number");
        }

        return slot;
    }

    private TokenAmount ReadU64String(JsonElement element, string method, string what)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Malformed(method, $"{what} is {Describe(element)}; a u64 amount must be a decimal string");
        }

        if (!TokenAmount.TryParseDecimal(element.GetString(), out var amount, out var error))
        {
            throw Malformed(method, $"{what}: {error}");
        }

        if (amount > U64Max)
        {
            throw Malformed(method, $"{what} {amount} exceeds the u64 an SPL token amount is");
        }

        return amount;
    }

    private DateTimeOffset? ReadBlockTime(JsonElement item, string method, string where)
    {
        if (!item.TryGetProperty("blockTime", out var time) || time.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (time.ValueKind != JsonValueKind.Number || !time.TryGetInt64(out var seconds) || seconds < 0)
        {
            throw Malformed(method, $"{where}.blockTime is {Describe(time)}, not unix seconds");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private JsonElement Require(JsonElement obj, string name, string method, string where) =>
        obj.TryGetProperty(name, out var value) ? value : throw Malformed(method, $"{where} lacks '{name}'");

    private string RequireString(JsonElement obj, string name, string method, string where)
    {
        var value = Require(obj, name, method, where);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Malformed(method, $"{where}.{name} is {Describe(value)}, not a non-empty string");
    }

    private string? OptionalString(JsonElement obj, string name, string method, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed(method, $"{where}.{name} is {Describe(value)}, not a string");
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.Array => $"an array of {element.GetArrayLength()}",
        _ => $"a JSON {element.ValueKind}",
    };

    private static string Shorten(string text) => text.Length <= 48 ? text : string.Concat(text.AsSpan(0, 48), "…");

    private RpcProtocolException Malformed(string method, string message, string? endpoint = null) =>
        new(method, endpoint ?? Transport.PreferredEndpoint.Label, message);
}
