using System.Numerics;

namespace Usd1Reconciler.Demo;

/// <summary>
/// Stages the incidents the daemon is there to catch, on request (command line or a key), and keeps the one figure
/// the reserve feed must know about them: supply minted without money behind it.
/// </summary>
internal sealed class DemoIncidents(EvmDemoChain target, DemoReserveFeed feed, DemoConsole console)
{
    /// <summary>50,000,000 tokens: fifty times the anomaly limit, and more than the reserves' buffer.</summary>
    private static readonly BigInteger OversizedMint = 50_000_000 * (BigInteger)1_000_000;

    private BigInteger _unbacked;

    /// <summary>Supply nobody paid the custodian for (base units); the demo's custodian does not count it as reserves.</summary>
    public BigInteger Unbacked => _unbacked;

    public static bool TryParse(string text, out DemoIncident incident)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "oversized-mint" or "mint" or "m":
                incident = DemoIncident.OversizedMint;
                return true;
            case "reorg" or "r":
                incident = DemoIncident.Reorg;
                return true;
            case "feed-outage" or "feed" or "f":
                incident = DemoIncident.FeedOutage;
                return true;
            default:
                incident = default;
                return false;
        }
    }

    public async Task StageAsync(DemoIncident incident, CancellationToken cancellationToken)
    {
        switch (incident)
        {
            case DemoIncident.OversizedMint:
                await target.Gate.WaitAsync(cancellationToken);
                try
                {
                    var tx = await target.UnknownMinterMintAsync(OversizedMint, cancellationToken);
                    _unbacked += OversizedMint;
                    console.Event($"incident oversized-mint on {target.Name}: {EvmDemoChain.Mallory} (not an allowed minter) minted 50,000,000 USD1 to itself, unbacked — tx {tx}");
                }
                finally
                {
                    target.Gate.Release();
                }

                break;
            case DemoIncident.Reorg:
                await target.Gate.WaitAsync(cancellationToken);
                try
                {
                    await target.ReorgAsync(DemoConfig.ReorgDepth, 12_345 * (BigInteger)1_000_000, cancellationToken);
                    console.Event($"incident reorg on {target.Name}: anvil_reorg replaced the newest {DemoConfig.ReorgDepth} blocks (final depth is {DemoConfig.Confirmations})");
                }
                finally
                {
                    target.Gate.Release();
                }

                break;
            case DemoIncident.FeedOutage:
                feed.Paused = !feed.Paused;
                console.Event(feed.Paused
                    ? "incident feed-outage: the custodian feed stopped updating (stale after 20 s; press f again to resume)"
                    : "feed-outage over: the custodian feed updates again");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(incident), incident, "unknown incident");
        }
    }
}
