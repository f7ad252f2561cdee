namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// The privileged actions the daemon indexes (issue 15). The names are written to the store and the change log, so
/// they only ever grow: a stored kind this build does not know is refused, not guessed at.
/// </summary>
public enum GovernanceChangeKind
{
    /// <summary>AccessControl RoleGranted: <c>Subject</c> the role (bytes32 hex), <c>NewValue</c> the account.</summary>
    RoleGranted,

    /// <summary>AccessControl RoleRevoked: <c>Subject</c> the role, <c>OldValue</c> the account.</summary>
    RoleRevoked,

    /// <summary>AccessControl RoleAdminChanged: <c>Subject</c> the role, old → new admin role.</summary>
    RoleAdminChanged,

    /// <summary>Ownable OwnershipTransferred: old → new owner. Ends a two-step transfer in progress.</summary>
    OwnershipTransferred,

    /// <summary>Ownable2Step OwnershipTransferStarted: <c>NewValue</c> the pending owner.</summary>
    OwnershipTransferStarted,

    /// <summary>Paused / Pause.</summary>
    Paused,

    /// <summary>Unpaused / Unpause.</summary>
    Unpaused,

    /// <summary>Fiat-token MinterConfigured: <c>Subject</c> the minter, <c>NewValue</c> its allowance in base units.</summary>
    MinterConfigured,

    /// <summary>Fiat-token MinterRemoved: <c>Subject</c> the minter.</summary>
    MinterRemoved,

    /// <summary>A named single-holder authority changed (<see cref="GovernanceAuthorities"/>): master minter, pauser, blacklister, rescuer; on Solana mint, freeze and extension authorities. <c>Subject</c> the authority's key.</summary>
    AuthorityChanged,

    /// <summary>Blacklisted / Denylisted: <c>Subject</c> the account.</summary>
    Denylisted,

    /// <summary>UnBlacklisted / Undenylisted: <c>Subject</c> the account.</summary>
    Undenylisted,

    /// <summary>EIP-1967 Upgraded: <c>NewValue</c> the implementation.</summary>
    Upgraded,

    /// <summary>EIP-1967 AdminChanged: old → new proxy admin.</summary>
    AdminChanged,

    /// <summary>EIP-1967 BeaconUpgraded: <c>NewValue</c> the beacon.</summary>
    BeaconUpgraded,

    /// <summary>A token account was frozen (Solana freezeAccount): <c>Subject</c> the account.</summary>
    AccountFrozen,

    /// <summary>A token account was thawed (Solana thawAccount): <c>Subject</c> the account.</summary>
    AccountThawed,

    /// <summary>
    /// An event the operator declared from the token's ABI: <c>Subject</c> the entry it sets (the event name, then its
    /// indexed arguments, colon-separated: <c>Name:arg1:arg2</c>), <c>NewValue</c> its decoded arguments as JSON. Folded
    /// into <see cref="GovernanceState.Declared"/> last value wins and judged by <see cref="GovernancePolicy.DeclaredRules"/>.
    /// Solana uses it for facts the decoder records without a state of their own (a multisig's creation, an unparsed
    /// privileged instruction).
    /// </summary>
    Declared,
}
