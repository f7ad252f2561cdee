using System.Text.Json;

namespace Usd1Reconciler.Solana.Rpc;

public sealed partial class SolanaRpcClient
{
    /// <summary>
    /// getAccountInfo with encoding jsonParsed: the account as the node's account decoder renders it and the slot it was
    /// read at; value null when the account does not exist at that commitment.
    /// </summary>
    /// <param name="minContextSlot">When given, a node whose view is older refuses (-32016) instead of answering from an older state.</param>
    public async Task<(long Slot, JsonElement? Value)> getAccountInfo(string address, SolanaCommitment commitment, CancellationToken cancellationToken, long? minContextSlot = null)
    {
        const string method = "getAccountInfo";
        var config = Config(commitment);
        config["encoding"] = "jsonParsed";
        if (minContextSlot is { } min)
        {
            config["minContextSlot"] = min;
        }

        return await Transport.CallAsync(method, [address, config], result =>
        {
            var (slot, value) = ReadContext(result, method);
            return (slot, value.ValueKind == JsonValueKind.Null ? (JsonElement?)null : value.Clone());
        }, cancellationToken);
    }

    /// <summary>agave's MAX_MULTIPLE_ACCOUNTS: a getMultipleAccounts call naming more is refused (-32602 "Too many inputs provided; max 100").</summary>
    public const int MaxMultipleAccounts = 100;

    /// <summary>
    /// getMultipleAccounts with encoding jsonParsed: the accounts (in the order asked, null where one does not exist)
    /// as the node's account decoder renders them, all read at one slot, and that slot.
    /// </summary>
    /// <param name="minContextSlot">When given, a node whose view is older refuses (-32016) instead of answering from an older state.</param>
    public async Task<(long Slot, IReadOnlyList<JsonElement?> Values)> getMultipleAccounts(
        IReadOnlyList<string> addresses, SolanaCommitment commitment, CancellationToken cancellationToken, long? minContextSlot = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count > MaxMultipleAccounts)
        {
            throw new ArgumentOutOfRangeException(nameof(addresses), addresses.Count, $"getMultipleAccounts takes at most {MaxMultipleAccounts} addresses");
        }

        const string method = "getMultipleAccounts";
        var config = Config(commitment);
        config["encoding"] = "jsonParsed";
        if (minContextSlot is { } min)
        {
            config["minContextSlot"] = min;
        }

        return await Transport.CallAsync(method, [addresses, config], result =>
        {
            var (slot, value) = ReadContext(result, method);
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != addresses.Count)
            {
                throw Malformed(method, $"value is {Describe(value)}, not an array of the {addresses.Count} accounts asked for");
            }

            IReadOnlyList<JsonElement?> accounts = value.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.Null ? (JsonElement?)null : a.Clone()).ToList();
            return (slot, accounts);
        }, cancellationToken);
    }
}
