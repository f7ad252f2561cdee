using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The control plane of one network as folded from its privileged changes (<see cref="GovernanceFold"/>). Never stored:
/// it is folded again from the stored changes whenever it is needed, so a reorg (which removes changes) can never
/// leave it behind. Collections are ordered (ordinal), so the same changes give the same <see cref="ComputeHash"/>.
/// </summary>
public sealed class GovernanceState
{
    internal GovernanceState(string network)
    {
        Network = network;
    }

    public string Network { get; }

    /// <summary>Ownable owner; null before any OwnershipTransferred, or after a renounce (transfer to the zero address).</summary>
    public string? Owner { get; internal set; }

    /// <summary>Ownable2Step pending owner, until the transfer completes.</summary>
    public string? PendingOwner { get; internal set; }

    /// <summary>Null while no pause event was seen (the token is taken to be unpaused then, which the proof checks).</summary>
    public bool? Paused { get; internal set; }

    public string? Implementation { get; internal set; }

    public string? ProxyAdmin { get; internal set; }

    public string? Beacon { get; internal set; }

    /// <summary>Role (bytes32 hex) → accounts holding it.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Roles => RoleHolders;

    /// <summary>Role → its admin role, for roles whose admin was changed.</summary>
    public IReadOnlyDictionary<string, string> RoleAdmins => RoleAdminMap;

    /// <summary>Minter → allowance in base units.</summary>
    public IReadOnlyDictionary<string, BigInteger> Minters => MinterMap;

    /// <summary>Authority key (<see cref="GovernanceAuthorities"/>) → holder; null where set to none.</summary>
    public IReadOnlyDictionary<string, string?> Authorities => AuthorityMap;

    public IReadOnlySet<string> Denylisted => DenylistSet;

    /// <summary>Solana token accounts frozen by the freeze authority.</summary>
    public IReadOnlySet<string> Frozen => FrozenSet;

    /// <summary>
    /// Declared events (<see cref="GovernanceChangeKind.Declared"/>) folded last value wins: entry key (the event name
    /// and its indexed arguments, "Name:arg1:arg2", as the change's <c>Subject</c>) → its decoded arguments as JSON.
    /// </summary>
    public IReadOnlyDictionary<string, string> Declared => DeclaredMap;

    /// <summary>State key (see <see cref="GovernanceStateKeys"/>) → the change that set it last: the block and tx a drift item names.</summary>
    public IReadOnlyDictionary<string, GovernanceChange> Provenance => ProvenanceMap;

    /// <summary>Block/slot of the newest change folded in; −1 with none.</summary>
    public long ThroughBlock { get; internal set; } = -1;

    public int ChangeCount { get; internal set; }

    internal SortedDictionary<string, SortedSet<string>> RoleHolders { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, string> RoleAdminMap { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, BigInteger> MinterMap { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, string?> AuthorityMap { get; } = new(StringComparer.Ordinal);

    internal SortedSet<string> DenylistSet { get; } = new(StringComparer.Ordinal);

    internal SortedSet<string> FrozenSet { get; } = new(StringComparer.Ordinal);

    internal SortedDictionary<string, string> DeclaredMap { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, GovernanceChange> ProvenanceMap { get; } = new(StringComparer.Ordinal);

    public bool HoldsRole(string role, string account) => RoleHolders.TryGetValue(role, out var holders) && holders.Contains(account);

    /// <summary>
    /// SHA-256 (lower-case hex) of <see cref="CanonicalText"/>: what a reconciliation report records as the governance
    /// state it saw. Provenance and counters are not part of it — two folds that reach the same state hash the same.
    /// </summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText())));

    /// <summary>One line per fact, in a fixed order; the hashed form of the state.</summary>
    public string CanonicalText()
    {
        var text = new StringBuilder();
        void Line(string key, string? value) => text.Append(key).Append('=').Append(value ?? "").Append('\n');
        Line("network", Network);
        Line("owner", Owner);
        Line("pendingOwner", PendingOwner);
        Line("paused", Paused is null ? null : Paused.Value ? "true" : "false");
        Line("implementation", Implementation);
        Line("proxyAdmin", ProxyAdmin);
        Line("beacon", Beacon);
        foreach (var (role, holders) in RoleHolders)
        {
            foreach (var holder in holders)
            {
                Line("role:" + role, holder);
            }
        }

        foreach (var (role, admin) in RoleAdminMap)
        {
            Line("roleAdmin:" + role, admin);
        }

        foreach (var (minter, allowance) in MinterMap)
        {
            Line("minter:" + minter, allowance.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, holder) in AuthorityMap)
        {
            Line("authority:" + key, holder);
        }

        foreach (var account in DenylistSet)
        {
            Line("denylisted", account);
        }

        foreach (var account in FrozenSet)
        {
            Line("frozen", account);
        }

        // Last, so a state without declared entries hashes as it did before they were folded.
        foreach (var (key, value) in DeclaredMap)
        {
            Line("declared:" + key, value);
        }

        return text.ToString();
    }
}
