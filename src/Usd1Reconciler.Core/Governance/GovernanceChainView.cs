using System.Numerics;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The chain's own answers at one final block/slot, read without the index: owner(), paused(), hasRole, isMinter /
/// minterAllowance, the EIP-1967 slots; on Solana the mint's authorities and frozen accounts. A part the chain could not
/// answer (the token has no such function) is left out and not compared — never taken as "none".
/// </summary>
public sealed record GovernanceChainView(long BlockNumber)
{
    public string? Owner { get; init; }

    public bool OwnerRead { get; init; }

    public bool? Paused { get; init; }

    public string? Implementation { get; init; }

    public bool ImplementationRead { get; init; }

    public string? ProxyAdmin { get; init; }

    public bool ProxyAdminRead { get; init; }

    /// <summary>(role, account) → whether the chain says the account holds the role.</summary>
    public IReadOnlyDictionary<(string Role, string Account), bool> RoleMembership { get; init; } = new Dictionary<(string, string), bool>();

    /// <summary>Minter → (isMinter, minterAllowance).</summary>
    public IReadOnlyDictionary<string, (bool IsMinter, BigInteger Allowance)> Minters { get; init; } = new Dictionary<string, (bool, BigInteger)>(StringComparer.Ordinal);

    /// <summary>Authority key → holder (null: none) as read.</summary>
    public IReadOnlyDictionary<string, string?> Authorities { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Account → whether the chain says it is frozen (Solana) or denylisted (EVM isBlacklisted), for the accounts read.</summary>
    public IReadOnlyDictionary<string, bool> Denylisted { get; init; } = new Dictionary<string, bool>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, bool> Frozen { get; init; } = new Dictionary<string, bool>(StringComparer.Ordinal);
}
