using System.Numerics;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// What the issuer says the control plane must look like on one network. Every part is optional: a part left null (or
/// a role not named) is not checked, so a policy can be introduced one rule at a time. Addresses are compared as
/// stored (EVM lower-case 0x hex, Solana base58), so the host normalises them before building a policy.
/// </summary>
public sealed record GovernancePolicy
{
    public static GovernancePolicy None { get; } = new();

    /// <summary>Role (bytes32 hex) → the accounts that may hold it. A holder outside the set is drift; so is a role named with an empty set that anyone holds.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> RoleHolders { get; init; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);

    /// <summary>Human names of roles for messages (bytes32 hex → e.g. MINTER_ROLE).</summary>
    public IReadOnlyDictionary<string, string> RoleNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Minter → the highest allowance it may have. Null: minters are not checked. Set: a minter not in it is drift, and so is one above its maximum.</summary>
    public IReadOnlyDictionary<string, BigInteger>? MinterAllowances { get; init; }

    /// <summary>The owner; a different owner, or a transfer started to anyone else, is drift.</summary>
    public string? Owner { get; init; }

    /// <summary>The implementations the proxy may point at; an upgrade to any other is drift.</summary>
    public IReadOnlySet<string>? Implementations { get; init; }

    /// <summary>The proxy admin (EIP-1967 admin slot).</summary>
    public string? ProxyAdmin { get; init; }

    /// <summary>Authority key → the expected holder (null: the authority must be none, e.g. a mint whose freeze authority was revoked).</summary>
    public IReadOnlyDictionary<string, string?> Authorities { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Whether the token is expected paused; null: pausing is recorded, not paged.</summary>
    public bool? Paused { get; init; }

    /// <summary>The most accounts that may be denylisted at once; null: denylisting is recorded, not paged.</summary>
    public int? MaxDenylisted { get; init; }

    /// <summary>Declared event name → its rule. A declared event not named here is recorded and folded, never drift.</summary>
    public IReadOnlyDictionary<string, GovernanceDeclaredRule> DeclaredRules { get; init; } = new Dictionary<string, GovernanceDeclaredRule>(StringComparer.Ordinal);

    public string RoleName(string role) => RoleNames.TryGetValue(role, out var name) ? name : role;
}
