using Usd1Reconciler.Configuration;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Indexing;

/// <summary>
/// Maps validated network options to the adapters' own settings: the adapters never see the host's configuration
/// types, they register themselves from these (<c>AddEvmNetworks</c>, <c>AddSolanaNetworks</c>).
/// </summary>
internal static class NetworkSettingsFactory
{
    /// <param name="options">The network.</param>
    /// <param name="reconciliation">For the block-time horizon: the redemption windows and their peak lookback.</param>
    public static EvmNetworkSettings Evm(NetworkOptions options, ReconciliationOptions reconciliation)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reconciliation);
        return new EvmNetworkSettings(
            options.Name,
            options.ChainId!.Value,
            options.RpcUrls.Select(u => new Uri(u)).ToList(),
            options.Token!,
            options.StartBlock,
            options.Confirmations,
            options.MaxBlockRange,
            options.RequestTimeout,
            options.MaxHeadLag ?? EvmNetworkSettings.DefaultMaxHeadLag,
            Resilience(options),
            BlockTimeHorizon(options, reconciliation),
            GovernancePolicyFactory.DeclaredEvents(options),
            GovernancePolicyFactory.Watch(options));
    }

    /// <summary>
    /// The oldest block time anything reads: the longest redemption window plus the peak lookback (the peak slides that
    /// window over the lookback), or the network's anomaly window if longer, plus an hour for the hourly buckets.
    /// </summary>
    internal static TimeSpan BlockTimeHorizon(NetworkOptions options, ReconciliationOptions reconciliation)
    {
        var redemptions = reconciliation.Redemptions;
        var longestWindow = redemptions.WindowsOrDefault().Append(redemptions.RunwayWindow).Max();
        var anomalyWindow = options.Anomalies?.Window ?? TimeSpan.Zero;
        var longest = longestWindow + redemptions.PeakLookback > anomalyWindow ? longestWindow + redemptions.PeakLookback : anomalyWindow;
        return longest + TimeSpan.FromHours(1);
    }

    /// <param name="options">The network.</param>
    /// <param name="spoolDirectory">
    /// Beside the store, on the data volume: /tmp may be a small tmpfs (docker/docker-compose.yml).
    /// </param>
    public static SolanaNetworkSettings Solana(NetworkOptions options, string? spoolDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SolanaNetworkSettings(
            options.Name,
            options.Mint!,
            options.Commitment == "finalized" ? SolanaCommitment.Finalized : SolanaCommitment.Confirmed,
            options.RpcUrls.Select(u => new Uri(u)).ToList(),
            options.RequestTimeout)
        {
            MaxSlotLag = options.MaxHeadLag ?? SolanaNetworkSettings.DefaultMaxSlotLag,
            Resilience = Resilience(options),
            SpoolDirectory = spoolDirectory,
        };
    }

    private static RpcResilienceOptions Resilience(NetworkOptions options) =>
        RpcResilienceOptions.Default with { MaxRequestsPerSecond = options.MaxRequestsPerSecond, BreakDuration = options.CircuitBreak };
}
