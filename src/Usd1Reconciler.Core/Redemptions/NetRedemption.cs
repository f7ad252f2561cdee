using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Redemptions;

/// <summary>Net redemptions (burns − mints of final events) of one network, or of all (<see cref="Total"/>), over one window.</summary>
/// <param name="Network">The network, or <see cref="Total"/>.</param>
/// <param name="Window">The window's nominal length.</param>
/// <param name="NetUsd">Burns − mints in USD (1 token = 1 USD), exact; negative when more was issued than redeemed.</param>
/// <param name="ShareBps">NetUsd as a share of the circulating supply it is judged against, in bps (rounded toward zero); null when nothing circulates.</param>
public sealed record NetRedemption(string Network, TimeSpan Window, UsdAmount NetUsd, long? ShareBps)
{
    /// <summary>The network label of the sum over all networks.</summary>
    public const string Total = "total";
}
