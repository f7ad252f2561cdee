using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// A network's control-plane policy (issue 15): who may hold what. Every part is optional; a part left out is
/// recorded in the change log but not checked. EVM addresses in any case; role names are hashed like Solidity's
/// <c>keccak256("NAME")</c> (<c>DEFAULT_ADMIN_ROLE</c> is zero), or given as 0x + 64 hex digits.
/// </summary>
public sealed class GovernanceOptions
{
    /// <summary><value>Default: none.</value> Role name (or bytes32 hex) → the accounts that may hold it; any other holder pages GovernanceDrift.</summary>
    public Dictionary<string, List<string>> RoleHolders { get; set; } = [];

    /// <summary><value>Default: minters not checked.</value> Minter → the highest allowance it may be configured with, base units; a minter not listed pages.</summary>
    [BaseUnits]
    public Dictionary<string, string> MaxMinterAllowances { get; set; } = [];

    /// <summary><value>Default: not checked.</value> The owner; another owner, or a transfer started to anyone else, pages.</summary>
    public string? Owner { get; set; }

    /// <summary><value>Default: not checked.</value> The implementations the proxy may point at; an upgrade to any other pages.</summary>
    public List<string> Implementations { get; set; } = [];

    /// <summary><value>Default: not checked.</value> The proxy admin (EIP-1967 admin slot).</summary>
    public string? ProxyAdmin { get; set; }

    /// <summary><value>Default: none.</value> Authority key (masterMinter, pauser, blacklister, rescuer; Solana mintTokens, freezeAccount, extension authorities) → expected holder, or <c>none</c>.</summary>
    public Dictionary<string, string> Authorities { get; set; } = [];

    /// <summary><value>Default: not checked.</value> Whether the token is expected paused; a pause against it pages. Either way a paused token sets the network's status to Paused.</summary>
    public bool? Paused { get; set; }

    /// <summary><value>Default: not checked.</value> The most accounts that may be denylisted at once.</summary>
    [Range(0, int.MaxValue)]
    public int? MaxDenylisted { get; set; }

    /// <summary><value>Default: none.</value> The token's ABI JSON file (an ABI array or a compiler artifact with "abi"), for <see cref="DeclaredEvents"/>.</summary>
    public string? AbiFile { get; set; }

    /// <summary><value>Default: none.</value> Further privileged events of the token to record, by name or signature as in <see cref="AbiFile"/>.</summary>
    public List<string> DeclaredEvents { get; set; } = [];

    /// <summary><value>Default: none (declared events are recorded and folded, never paged).</value> Declared event (as listed in <see cref="DeclaredEvents"/>) → when its entries page.</summary>
    public Dictionary<string, DeclaredEventPolicyOptions> DeclaredPolicy { get; set; } = [];
}
