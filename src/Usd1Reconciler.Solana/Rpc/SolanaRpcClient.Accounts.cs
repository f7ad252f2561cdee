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
}
