using System.Globalization;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The governance proof: the state folded from final changes compared fact by fact with the chain's view at the same
/// final block. A difference is a privileged change without an event — the control-plane twin of the ledger proof.
/// </summary>
public static class GovernanceProof
{
    public static IReadOnlyList<GovernanceProofDifference> Compare(GovernanceState folded, GovernanceChainView chain)
    {
        ArgumentNullException.ThrowIfNull(folded);
        ArgumentNullException.ThrowIfNull(chain);
        var differences = new List<GovernanceProofDifference>();
        void Check(string subject, string? state, string? onChain)
        {
            if (!string.Equals(state, onChain, StringComparison.Ordinal))
            {
                differences.Add(new GovernanceProofDifference(subject, state ?? "none", onChain ?? "none"));
            }
        }

        if (chain.OwnerRead)
        {
            Check(GovernanceStateKeys.Owner, folded.Owner, chain.Owner);
        }

        if (chain.Paused is { } paused)
        {
            // No pause event seen means unpaused: a token deployed paused without saying so is exactly what this catches.
            Check(GovernanceStateKeys.Paused, Bool(folded.Paused ?? false), Bool(paused));
        }

        if (chain.ImplementationRead)
        {
            Check(GovernanceStateKeys.Implementation, folded.Implementation, chain.Implementation);
        }

        if (chain.ProxyAdminRead)
        {
            Check(GovernanceStateKeys.ProxyAdmin, folded.ProxyAdmin, chain.ProxyAdmin);
        }

        foreach (var ((role, account), holds) in chain.RoleMembership.OrderBy(r => r.Key.Role, StringComparer.Ordinal).ThenBy(r => r.Key.Account, StringComparer.Ordinal))
        {
            Check(GovernanceStateKeys.Role(role, account), Bool(folded.HoldsRole(role, account)), Bool(holds));
        }

        foreach (var (minter, (isMinter, allowance)) in chain.Minters.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            // Fiat-token semantics: every mint spends the minter's allowance without a MinterConfigured event, so the
            // chain's allowance may be below the folded one. Above it, or a minter the events never configured (or
            // removed), is a change without an event.
            var known = folded.Minters.TryGetValue(minter, out var foldedAllowance);
            if (known != isMinter || (isMinter && allowance > foldedAllowance))
            {
                differences.Add(new GovernanceProofDifference(
                    GovernanceStateKeys.Minter(minter),
                    known ? foldedAllowance.ToString(CultureInfo.InvariantCulture) : "none",
                    isMinter ? allowance.ToString(CultureInfo.InvariantCulture) : "none"));
            }
        }

        foreach (var (key, holder) in chain.Authorities.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Check(GovernanceStateKeys.Authority(key), folded.Authorities.GetValueOrDefault(key), holder);
        }

        foreach (var (account, listed) in chain.Denylisted.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Check(GovernanceStateKeys.Denylisted(account), Bool(folded.Denylisted.Contains(account)), Bool(listed));
        }

        foreach (var (account, frozen) in chain.Frozen.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Check(GovernanceStateKeys.Frozen(account), Bool(folded.Frozen.Contains(account)), Bool(frozen));
        }

        return differences;
    }

    /// <summary>
    /// The status a reader should show: <see cref="GovernanceProofStatus.Stale"/> without a reading, when the reading is
    /// of an older final block than the current one, or older than <paramref name="budget"/>; otherwise the reading's.
    /// </summary>
    public static GovernanceProofStatus Evaluate(GovernanceProofReading? reading, long finalBlock, DateTimeOffset now, TimeSpan budget)
    {
        if (reading is null || reading.Status == GovernanceProofStatus.Stale || reading.BlockNumber < finalBlock || now - reading.CheckedAt > budget)
        {
            return GovernanceProofStatus.Stale;
        }

        return reading.Status;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
