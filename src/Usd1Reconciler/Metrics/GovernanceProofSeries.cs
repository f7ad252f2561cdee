using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// The one writer of the governance proof series (<see cref="ReconcilerMetrics.GovernanceProof"/> and
/// <see cref="ReconcilerMetrics.GovernanceProofTimestamp"/>). A network is exported from the daemon's start, before its
/// first proof: status <see cref="Unproven"/> is 1 and the timestamp is the time this process began watching it, so a
/// dashboard shows "not proven yet" instead of "no data" and Usd1GovernanceProofStale (age of the timestamp) fires for a
/// network that stays unproven for longer than the budget of a stale one.
/// </summary>
internal static class GovernanceProofSeries
{
    /// <summary>The status label that means "never proven" (no proof stored yet): a value beside ok, mismatch and stale.</summary>
    public const string Unproven = "unproven";

    /// <summary>Every label value of the status series, in the order the enum and <see cref="Unproven"/> give.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [.. Enum.GetValues<GovernanceProofStatus>().Select(Label), Unproven];

    public static string Label(GovernanceProofStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>At start, for each network whose governance the daemon proves: unproven 1, the others 0, watched since <paramref name="since"/>.</summary>
    public static void MarkUnproven(ReconcilerMetrics metrics, IEnumerable<string> networks, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var network in networks)
        {
            foreach (var status in Statuses)
            {
                metrics.GovernanceProof.WithLabels(network, status).Set(status == Unproven ? 1 : 0);
            }

            metrics.GovernanceProofTimestamp.WithLabels(network).Set(since.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    /// <summary>The network's latest stored proof: its status 1, the others (unproven included) 0, and the time it was checked.</summary>
    public static void Record(ReconcilerMetrics metrics, GovernanceProofReading proof)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(proof);
        var current = Label(proof.Status);
        foreach (var status in Statuses)
        {
            metrics.GovernanceProof.WithLabels(proof.Network, status).Set(status == current ? 1 : 0);
        }

        metrics.GovernanceProofTimestamp.WithLabels(proof.Network).Set(proof.CheckedAt.ToUnixTimeMilliseconds() / 1000.0);
    }
}
