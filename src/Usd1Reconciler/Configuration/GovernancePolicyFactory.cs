using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Indexing;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Builds the core's <see cref="GovernancePolicy"/> from validated <see cref="GovernanceOptions"/>: EVM addresses
/// lower-cased as the decoder stores them, role names hashed like Solidity's constants, "none" as no holder.
/// </summary>
public static partial class GovernancePolicyFactory
{
    private const string DefaultAdminRole = "DEFAULT_ADMIN_ROLE";

    public static GovernancePolicy Create(NetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Governance is not { } g)
        {
            return GovernancePolicy.None;
        }

        var evm = network.Kind == NetworkKind.Evm;
        string Address(string a) => evm ? a.ToLowerInvariant() : a;
        var roles = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, holders) in g.RoleHolders)
        {
            TryRole(role, out var id);
            roles[id] = holders.Select(Address).ToHashSet(StringComparer.Ordinal);
            names[id] = role;
        }

        return new GovernancePolicy
        {
            RoleHolders = roles,
            RoleNames = names,
            MinterAllowances = g.MaxMinterAllowances.Count == 0
                ? null
                : g.MaxMinterAllowances.ToDictionary(m => Address(m.Key), m => BigInteger.Parse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture), StringComparer.Ordinal),
            Owner = g.Owner is null ? null : Address(g.Owner),
            Implementations = g.Implementations.Count == 0 ? null : g.Implementations.Select(Address).ToHashSet(StringComparer.Ordinal),
            ProxyAdmin = g.ProxyAdmin is null ? null : Address(g.ProxyAdmin),
            Authorities = g.Authorities.ToDictionary(a => a.Key, a => string.Equals(a.Value, "none", StringComparison.OrdinalIgnoreCase) ? null : Address(a.Value), StringComparer.Ordinal),
            Paused = g.Paused,
            MaxDenylisted = g.MaxDenylisted,
            DeclaredRules = g.DeclaredPolicy.ToDictionary(d => DeclaredEventName(d.Key), d => DeclaredRule(d.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The event name of a declaration: a signature up to its '(' ("Approval(address,address,uint256)" → "Approval"), a name as it is.</summary>
    public static string DeclaredEventName(string declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var paren = declaration.IndexOf('(', StringComparison.Ordinal);
        return (paren < 0 ? declaration : declaration[..paren]).Trim();
    }

    /// <summary>Allowed values and actors as the decoder writes them: 0x addresses lower-cased, anything else as given.</summary>
    private static GovernanceDeclaredRule DeclaredRule(DeclaredEventPolicyOptions o)
    {
        static IReadOnlySet<string>? Set(List<string> values) =>
            values.Count == 0 ? null : values.Select(v => IsEvmAddress(v) ? v.ToLowerInvariant() : v).ToHashSet(StringComparer.Ordinal);
        return new GovernanceDeclaredRule(o.Value, Set(o.AllowedValues), o.Actor, Set(o.AllowedActors), o.Privileged);
    }

    /// <summary>What the EVM governance proof reads beside the events' addresses: the policy's roles × accounts and minters.</summary>
    public static EvmGovernanceWatch? Watch(NetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var policy = Create(network);
        if (ReferenceEquals(policy, GovernancePolicy.None))
        {
            return null;
        }

        var accounts = policy.RoleHolders.Values.SelectMany(h => h)
            .Concat(policy.Owner is null ? [] : [policy.Owner])
            .Distinct(StringComparer.Ordinal).ToList();
        return new EvmGovernanceWatch(policy.RoleHolders.Keys.ToList(), accounts, policy.MinterAllowances?.Keys.ToList() ?? []);
    }

    /// <summary>The declared-event decoder of a validated network, or null when it declares none.</summary>
    public static DeclaredEventDecoder? DeclaredEvents(NetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Governance is { AbiFile: { } file, DeclaredEvents.Count: > 0 } g ? DeclaredEventDecoder.Load(File.ReadAllText(file), g.DeclaredEvents) : null;
    }

    /// <summary>A role's bytes32 id: 0x + 64 hex digits as given (lower-cased), DEFAULT_ADMIN_ROLE zero, any other name keccak256(name).</summary>
    public static bool TryRole(string role, out string id)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (RoleHex().IsMatch(role))
        {
            id = role.ToLowerInvariant();
            return true;
        }

        if (role == DefaultAdminRole)
        {
            id = "0x" + new string('0', 64);
            return true;
        }

        if (RoleName().IsMatch(role))
        {
            id = "0x" + Convert.ToHexStringLower(EventTopics.Keccak256(Encoding.ASCII.GetBytes(role)));
            return true;
        }

        id = role;
        return false;
    }

    public static bool IsEvmAddress(string text) => text is not null && EvmAddress().IsMatch(text);

    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    private static partial Regex RoleHex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex RoleName();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex EvmAddress();
}
