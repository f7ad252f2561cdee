using System.Globalization;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The policy verdict: every fact of the state outside <see cref="GovernancePolicy"/> as a drift item. Empty when the
/// state matches the policy. Pure; the same state and policy give the same items in the same order.
/// </summary>
public static class GovernanceDriftCheck
{
    public static IReadOnlyList<GovernanceDriftItem> Check(GovernanceState state, GovernancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        var drift = new List<GovernanceDriftItem>();
        GovernanceDriftItem Item(string kind, string subject, string expected, string actual, string provenanceKey)
        {
            var change = state.Provenance.GetValueOrDefault(provenanceKey);
            return new GovernanceDriftItem(kind, subject, expected, actual, change?.BlockNumber, change?.TransactionId, change?.Actor, change?.OldValue, change?.NewValue);
        }

        foreach (var (role, allowed) in policy.RoleHolders.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!state.Roles.TryGetValue(role, out var holders))
            {
                continue;
            }

            foreach (var holder in holders.Where(h => !allowed.Contains(h)))
            {
                drift.Add(Item("role", $"{policy.RoleName(role)}:{holder}", Allowed(allowed), holder, GovernanceStateKeys.Role(role, holder)));
            }
        }

        if (policy.MinterAllowances is { } maxima)
        {
            foreach (var (minter, allowance) in state.Minters)
            {
                if (!maxima.TryGetValue(minter, out var maximum))
                {
                    drift.Add(Item("minter", minter, "not a minter", $"minter with allowance {allowance.ToString(CultureInfo.InvariantCulture)}", GovernanceStateKeys.Minter(minter)));
                }
                else if (allowance > maximum)
                {
                    drift.Add(Item("allowance", minter, $"<= {maximum.ToString(CultureInfo.InvariantCulture)}", allowance.ToString(CultureInfo.InvariantCulture), GovernanceStateKeys.Minter(minter)));
                }
            }
        }

        if (policy.Owner is { } owner)
        {
            if (!string.Equals(state.Owner, owner, StringComparison.Ordinal))
            {
                drift.Add(Item("owner", "owner", owner, state.Owner ?? "none", GovernanceStateKeys.Owner));
            }

            if (state.PendingOwner is { } pending && !string.Equals(pending, owner, StringComparison.Ordinal))
            {
                drift.Add(Item("pendingOwner", "pendingOwner", $"none or {owner}", pending, GovernanceStateKeys.PendingOwner));
            }
        }

        if (policy.Implementations is { } implementations && state.Implementation is { } implementation && !implementations.Contains(implementation))
        {
            drift.Add(Item("implementation", "implementation", Allowed(implementations), implementation, GovernanceStateKeys.Implementation));
        }

        if (policy.ProxyAdmin is { } admin && state.ProxyAdmin is { } proxyAdmin && !string.Equals(proxyAdmin, admin, StringComparison.Ordinal))
        {
            drift.Add(Item("proxyAdmin", "proxyAdmin", admin, proxyAdmin, GovernanceStateKeys.ProxyAdmin));
        }

        foreach (var (key, expected) in policy.Authorities.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            // An authority never seen changed is not known from events; the governance proof reads it from the chain.
            if (state.Authorities.TryGetValue(key, out var holder) && !string.Equals(holder, expected, StringComparison.Ordinal))
            {
                drift.Add(Item("authority", key, expected ?? "none", holder ?? "none", GovernanceStateKeys.Authority(key)));
            }
        }

        if (policy.Paused is { } expectedPaused && (state.Paused ?? false) != expectedPaused)
        {
            drift.Add(Item("paused", "paused", expectedPaused ? "true" : "false", (state.Paused ?? false) ? "true" : "false", GovernanceStateKeys.Paused));
        }

        if (policy.MaxDenylisted is { } maxDenylisted && state.Denylisted.Count > maxDenylisted)
        {
            drift.Add(Item("denylist", "denylisted", $"<= {maxDenylisted.ToString(CultureInfo.InvariantCulture)} accounts", state.Denylisted.Count.ToString(CultureInfo.InvariantCulture), GovernanceStateKeys.DenylistCount));
        }

        return drift;
    }

    private static string Allowed(IReadOnlySet<string> allowed) =>
        allowed.Count == 0 ? "nobody" : string.Join(", ", allowed.Order(StringComparer.Ordinal));
}
