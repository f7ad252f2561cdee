using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The pages of the control plane. Both are conditions: open while true, resolved when the state (or the proof) is
/// back within policy. A drift page is about one set of drift items: its fingerprint starts with
/// <see cref="DriftSetKey"/>, so the screener can tell a new set (page it) from the one already paged (leave it).
/// </summary>
public static class GovernanceAnomalies
{
    /// <summary>Identifies a set of drift items regardless of order: a hex prefix of SHA-256 over their sorted keys.</summary>
    public static string DriftSetKey(string network, IReadOnlyList<GovernanceDriftItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var text = network + "\n" + string.Join("\n", items.Select(i => i.Key).Order(StringComparer.Ordinal));
        return $"{AnomalyRule.GovernanceDrift}|{network}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
    }

    /// <param name="items">Non-empty drift of the network, in check order.</param>
    /// <param name="at">When the drift was seen (its page's start).</param>
    public static Anomaly Drift(string network, IReadOnlyList<GovernanceDriftItem> items, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("a drift page needs at least one drift item", nameof(items));
        }

        // The newest change names the page (block, tx, actor); every item is in the description.
        var lead = items.OrderByDescending(i => i.BlockNumber ?? -1).First();
        var summary = items.Count == 1
            ? $"governance drift on {network}: {lead.Kind} {lead.Subject} is {lead.Actual}, policy allows {lead.Expected}"
            : $"governance drift on {network}: {items.Count} facts outside policy, newest {lead.Kind} {lead.Subject}";
        var description = string.Join("\n", items.Select(i =>
            string.Create(CultureInfo.InvariantCulture,
                $"{i.Kind} {i.Subject}: expected {i.Expected}, actual {i.Actual} (block {i.BlockNumber?.ToString(CultureInfo.InvariantCulture) ?? "?"}, tx {i.TransactionId ?? "?"}, actor {i.Actor ?? "?"}, {i.OldValue ?? "-"} → {i.NewValue ?? "-"})")));
        return new Anomaly(AnomalyRule.GovernanceDrift, network, "page", summary, description,
            lead.BlockNumber, lead.TransactionId, lead.Actor, null, at,
            string.Create(CultureInfo.InvariantCulture, $"{DriftSetKey(network, items)}|{at.UtcTicks}"));
    }

    public static Anomaly ProofMismatch(GovernanceProofReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new Anomaly(AnomalyRule.GovernanceProofMismatch, reading.Network, "page",
            $"governance proof mismatch on {reading.Network} at block {reading.BlockNumber}: {string.Join(", ", reading.Differences.Select(d => d.Subject))}",
            "The chain's own view differs from the state folded from privileged events — a change that emitted no event:\n"
            + string.Join("\n", reading.Differences.Select(d => $"{d.Subject}: events say {d.Folded}, chain says {d.Chain}")),
            reading.BlockNumber, null, null, null, reading.CheckedAt,
            string.Create(CultureInfo.InvariantCulture, $"{AnomalyRule.GovernanceProofMismatch}|{reading.Network}|{reading.BlockNumber}|{reading.StateHash}"));
    }
}
