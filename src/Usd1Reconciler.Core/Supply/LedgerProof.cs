namespace Usd1Reconciler.Core.Supply;

/// <summary>
/// Invariant 3: a network's indexed ledger is proven only by a reading of the on-chain supply taken at the block the
/// index is final at, and recently enough. Anything else is <see cref="LedgerProofStatus.Stale"/>, never Ok.
/// </summary>
public static class LedgerProof
{
    /// <param name="failingSince">Set while the network's passes fail (<see cref="NetworkSupply.FailingSince"/>): the proof is then stale.</param>
    public static LedgerProofStatus Evaluate(
        LedgerProofReading? latest,
        long currentFinalBlock,
        DateTimeOffset now,
        TimeSpan freshnessBudget,
        DateTimeOffset? failingSince = null)
    {
        // While the network's passes fail (no healthy endpoint) nothing vouches for the chain right now: stale at once,
        // not only when the last reading ages past the budget.
        if (latest is null || failingSince is not null)
        {
            return LedgerProofStatus.Stale;
        }

        // Events finalized after the reading are not covered by it; the reading proves an older ledger.
        if (latest.BlockNumber != currentFinalBlock)
        {
            return LedgerProofStatus.Stale;
        }

        if (now - latest.CheckedAt > freshnessBudget)
        {
            return LedgerProofStatus.Stale;
        }

        return latest.Compare();
    }
}
