using System.Numerics;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The provider-neutral half of finalization: whether finality moves, and the running totals after it. Each provider
/// keeps its SQL around these two calls, in one transaction: read the totals, <see cref="Target"/>, mark the
/// provisional events at or below the target final and read them, <see cref="Fold"/>, write the totals, fold the hours,
/// drop the old headers. Invariants kept here, so both providers keep them alike: finality never moves back, an event
/// is folded exactly once (the batch's own final events from <see cref="FoldedTotals"/>, the others as they turn
/// final), and sums are BigInteger (2^256 − 1 and beyond), never floating point.
/// </summary>
internal static class FinalizationFold
{
    /// <summary>The text both providers store an event's kind as.</summary>
    public static string KindText(SupplyEventKind kind) => kind == SupplyEventKind.Mint ? "mint" : "burn";

    /// <summary>The text both providers store a ledger proof's status as.</summary>
    public static string LedgerProofStatusText(LedgerProofReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return reading.Compare() == LedgerProofStatus.Ok ? "ok" : "mismatch";
    }

    /// <summary>
    /// The block finality moves to, or null when the transaction changes nothing: <paramref name="finalBlock"/> is not
    /// past the stored one and the batch wrote nothing final. An older <paramref name="finalBlock"/> with final events
    /// of its own keeps the stored final block.
    /// </summary>
    public static long? Target(SupplyTotals stored, long finalBlock, FoldedTotals alreadyFinal)
    {
        ArgumentNullException.ThrowIfNull(alreadyFinal);
        return finalBlock <= stored.FinalBlock && alreadyFinal.Count == 0 ? null : Math.Max(finalBlock, stored.FinalBlock);
    }

    /// <summary>
    /// The totals at <paramref name="target"/>: <paramref name="stored"/> plus <paramref name="alreadyFinal"/> plus the
    /// <paramref name="newlyFinal"/> events (those the provider just marked final, kind as stored), and every event that
    /// became final in this transaction, for the hourly aggregates.
    /// </summary>
    /// <exception cref="StoreSchemaException">A stored kind is neither mint nor burn.</exception>
    public static (SupplyTotals Totals, IReadOnlyList<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)> BecomingFinal) Fold(
        SupplyTotals stored, long target, FoldedTotals alreadyFinal, IEnumerable<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)> newlyFinal)
    {
        ArgumentNullException.ThrowIfNull(alreadyFinal);
        ArgumentNullException.ThrowIfNull(newlyFinal);
        var minted = stored.Minted + alreadyFinal.Minted;
        var burned = stored.Burned + alreadyFinal.Burned;
        long mints = stored.Mints + alreadyFinal.Mints, burns = stored.Burns + alreadyFinal.Burns;
        var becomingFinal = new List<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)>(alreadyFinal.Events);
        foreach (var e in newlyFinal)
        {
            switch (e.Kind)
            {
                case "mint":
                    minted += e.Amount;
                    mints++;
                    break;
                case "burn":
                    burned += e.Amount;
                    burns++;
                    break;
                default:
                    throw new StoreSchemaException($"a supply event of kind '{e.Kind}' is neither mint nor burn; the store was edited by hand or by a newer usd1rec");
            }

            becomingFinal.Add(e);
        }

        return (new SupplyTotals(target, minted, burned, mints, burns), becomingFinal);
    }
}
