using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Anomalies;

/// <summary>The anomaly limits of one network; a null limit switches its rule off.</summary>
/// <param name="AllowedMinters">Addresses / mint authorities allowed to mint, compared case-insensitively; null = no allowlist.</param>
/// <param name="MinterQuotas">Per-minter cap on mints within <paramref name="Window"/>.</param>
/// <param name="Window">Rolling window of the net-mint and quota rules.</param>
/// <param name="DeepReorgDepth">Reorgs this deep or deeper are anomalies.</param>
public sealed record AnomalyPolicy(
    TokenAmount? MaxMint,
    TokenAmount? MaxBurn,
    TokenAmount? MaxNetMint,
    TimeSpan Window,
    IReadOnlySet<string>? AllowedMinters,
    IReadOnlyDictionary<string, TokenAmount> MinterQuotas,
    int DeepReorgDepth,
    NetworkStatus Status)
{
    public static AnomalyPolicy Off { get; } = new(null, null, null, TimeSpan.FromHours(24), null, new Dictionary<string, TokenAmount>(), int.MaxValue, NetworkStatus.Active);
}
