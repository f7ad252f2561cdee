using System.Numerics;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The events a batch wrote final in the current transaction (a backfill of final ranges), gathered while the provider
/// writes them, so <see cref="FinalizationFold"/> folds them into the running totals in that transaction without
/// reading them back.
/// </summary>
internal sealed class FoldedTotals
{
    public BigInteger Minted { get; private set; }

    public BigInteger Burned { get; private set; }

    public long Mints { get; private set; }

    public long Burns { get; private set; }

    public long Count => Mints + Burns;

    /// <summary>The events themselves (kind as stored, amount, block time), for the hourly redemption aggregates.</summary>
    public List<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)> Events { get; } = [];

    /// <summary>The events of <paramref name="events"/> a batch writes final: those at or below <paramref name="finalThrough"/>.</summary>
    public static FoldedTotals FinalIn(IEnumerable<SupplyEvent> events, long finalThrough)
    {
        ArgumentNullException.ThrowIfNull(events);
        var folded = new FoldedTotals();
        foreach (var e in events.Where(e => e.BlockNumber <= finalThrough))
        {
            folded.Add(e.Kind, e.Amount.Value, e.BlockTime);
        }

        return folded;
    }

    public void Add(SupplyEventKind kind, BigInteger amount, DateTimeOffset? blockTime)
    {
        Events.Add((FinalizationFold.KindText(kind), amount, blockTime));
        if (kind == SupplyEventKind.Mint)
        {
            Minted += amount;
            Mints++;
        }
        else
        {
            Burned += amount;
            Burns++;
        }
    }
}
