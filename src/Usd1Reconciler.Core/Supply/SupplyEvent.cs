using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Supply;

/// <summary>
/// One mint or burn as it happened on chain. Its identity is (network, <see cref="TransactionId"/>,
/// <see cref="Position"/>, <see cref="SubPosition"/>): indexing the same transaction twice yields the same key, which
/// is what makes exactly-once storage checkable.
/// </summary>
/// <param name="Kind">Mint or burn.</param>
/// <param name="BlockNumber">EVM block number or Solana slot.</param>
/// <param name="BlockHash">EVM block hash or Solana blockhash when known (empty otherwise).</param>
/// <param name="TransactionId">EVM transaction hash or Solana signature.</param>
/// <param name="Position">EVM log index, or the Solana top-level instruction index.</param>
/// <param name="SubPosition">−1 for EVM logs and top-level Solana instructions; the inner instruction's position otherwise.</param>
/// <param name="Actor">Who caused it: EVM minter/burner from the token's Mint/Burn event, Solana mint authority or burn owner; null when the chain does not say.</param>
/// <param name="Holder">Whose balance changed: EVM recipient/sender, Solana token account.</param>
/// <param name="Amount">Base units.</param>
/// <param name="BlockTime">Block timestamp (UTC) when known.</param>
public sealed record SupplyEvent(
    SupplyEventKind Kind,
    long BlockNumber,
    string BlockHash,
    string TransactionId,
    int Position,
    int SubPosition,
    string? Actor,
    string Holder,
    TokenAmount Amount,
    DateTimeOffset? BlockTime)
{
    /// <summary>Marks events that are not part of an instruction tree (EVM logs, top-level instructions).</summary>
    public const int TopLevel = -1;
}
