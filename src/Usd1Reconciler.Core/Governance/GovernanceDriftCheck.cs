using System.Globalization;
using System.Text.Json;

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

        foreach (var (entry, arguments) in state.Declared)
        {
            if (policy.DeclaredRules.TryGetValue(DeclaredEventName(entry), out var rule) && CheckDeclared(state, entry, arguments, rule) is { } item)
            {
                drift.Add(item);
            }
        }

        return drift;
    }

    /// <summary>The event name of a declared entry: its subject up to the first ':' (the indexed arguments follow it).</summary>
    public static string DeclaredEventName(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? entry : entry[..colon];
    }

    /// <summary>
    /// One declared entry against its rule, in order: the value (when allowed values are given), then the actor (when
    /// allowed actors are given), then a privileged event with neither list (any entry is drift). An argument the
    /// entry lacks is "missing" and never allowed — a rule naming an argument the event stopped carrying must not pass.
    /// </summary>
    private static GovernanceDriftItem? CheckDeclared(GovernanceState state, string entry, string arguments, GovernanceDeclaredRule rule)
    {
        var change = state.Provenance.GetValueOrDefault(GovernanceStateKeys.Declared(entry));
        var value = rule.ValueArgument is { } valueArgument ? Argument(arguments, valueArgument) : arguments;
        var actor = rule.ActorArgument is { } actorArgument ? Argument(arguments, actorArgument) : change?.Actor;
        GovernanceDriftItem Item(string expected, string actual) =>
            new("declared", entry, expected, actual, change?.BlockNumber, change?.TransactionId, actor, change?.OldValue, change?.NewValue);

        if (rule.AllowedValues is { } values && (value is null || !values.Contains(value)))
        {
            return Item($"{rule.ValueArgument ?? "arguments"} one of {Allowed(values)}", value ?? "missing");
        }

        if (rule.AllowedActors is { } actors && (actor is null || !actors.Contains(actor)))
        {
            return Item($"{rule.ActorArgument ?? "actor"} one of {Allowed(actors)}", actor ?? "unknown");
        }

        return rule.Privileged && rule.AllowedValues is null && rule.AllowedActors is null
            ? Item("no such event (privileged)", value ?? arguments)
            : null;
    }

    /// <summary>A top-level argument of a declared entry's JSON as text; null when the JSON is no object or lacks it.</summary>
    private static string? Argument(string arguments, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        }
        catch (JsonException)
        {
            // Solana's declared facts are plain text, not arguments: a rule can only judge them whole.
            return null;
        }
    }

    private static string Allowed(IReadOnlySet<string> allowed) =>
        allowed.Count == 0 ? "nobody" : string.Join(", ", allowed.Order(StringComparer.Ordinal));
}
