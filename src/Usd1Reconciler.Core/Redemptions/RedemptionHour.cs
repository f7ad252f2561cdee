using System.Numerics;

namespace Usd1Reconciler.Core.Redemptions;

/// <summary>
/// One hour of a network's final supply events, by block/slot time: the running aggregate redemption windows are read
/// from (kept by the store in the transaction that makes the events final), never a rescan of events.
/// </summary>
/// <param name="Network">The network's configured name.</param>
/// <param name="HourStart">Start of the hour (UTC, minutes and seconds zero).</param>
/// <param name="Minted">Σ final mints in the hour, base units.</param>
/// <param name="Burned">Σ final burns in the hour, base units.</param>
public sealed record RedemptionHour(string Network, DateTimeOffset HourStart, BigInteger Minted, BigInteger Burned)
{
    /// <summary>Burns − mints: positive when more was redeemed than issued.</summary>
    public BigInteger NetRedeemed => Burned - Minted;
}
