using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Supply;

/// <summary>
/// One read of the on-chain total supply, paired with what the index said at the same block/slot.
/// </summary>
/// <param name="BlockNumber">The final block (EVM) or finalized slot (Solana) both figures refer to.</param>
/// <param name="OnchainSupply">totalSupply() / getTokenSupply at that block.</param>
/// <param name="IndexedSupply">Σ final mints − Σ final burns up to that block (may be negative if events were missed).</param>
public sealed record LedgerProofReading(
    long NetworkId,
    long BlockNumber,
    TokenAmount OnchainSupply,
    BigInteger IndexedSupply,
    DateTimeOffset CheckedAt)
{
    public LedgerProofStatus Compare() =>
        IndexedSupply == OnchainSupply.Value ? LedgerProofStatus.Ok : LedgerProofStatus.Mismatch;
}
