using System.Text.Json;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Solana.Rpc;

public sealed partial class SolanaRpcClient
{
    /// <summary>
    /// Balance of one SPL token account (not its owner's wallet) and the slot the node read it at; reconciliation
    /// compares that slot with the ledger proof's and calls the reading stale when they differ.
    /// </summary>
    public async Task<SolanaTokenAccountBalance> getTokenAccountBalance(string tokenAccount, SolanaCommitment commitment, CancellationToken cancellationToken)
    {
        const string method = "getTokenAccountBalance";
        var result = await Transport.CallAsync(method, [tokenAccount, Config(commitment)], cancellationToken);
        var (slot, amount, decimals) = ReadUiTokenAmount(result, method);
        return new SolanaTokenAccountBalance(slot, amount, decimals);
    }

    /// <summary>
    /// The context-wrapped UiTokenAmount that getTokenSupply and getTokenAccountBalance both answer with: the slot,
    /// the exact u64 amount (a string; uiAmount is a float and is ignored) and the decimals.
    /// </summary>
    private (long Slot, TokenAmount Amount, int Decimals) ReadUiTokenAmount(JsonElement result, string method)
    {
        var (slot, value) = ReadContext(result, method);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, $"value is a JSON {value.ValueKind}, not an object");
        }

        var amount = ReadU64String(Require(value, "amount", method, "value"), method, "value.amount");
        var decimalsElement = Require(value, "decimals", method, "value");
        if (decimalsElement.ValueKind != JsonValueKind.Number || !decimalsElement.TryGetInt32(out var decimals) || decimals is < 0 or > 255)
        {
            throw Malformed(method, $"value.decimals is {Describe(decimalsElement)}, not an integer 0-255");
        }

        return (slot, amount, decimals);
    }
}
