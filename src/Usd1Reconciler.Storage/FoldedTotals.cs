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
