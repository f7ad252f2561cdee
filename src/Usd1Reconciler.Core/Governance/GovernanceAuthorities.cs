namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// Keys of the single-holder authorities kept in <see cref="GovernanceState.Authorities"/>. The set is open (Solana
/// extension authorities are named by the extension and field <c>jsonParsed</c> shows, e.g.
/// <c>transferFeeConfig.transferFeeConfigAuthority</c>); these are the ones both sides name the same way.
/// </summary>
public static class GovernanceAuthorities
{
    public const string MasterMinter = "masterMinter";
    public const string Pauser = "pauser";
    public const string Blacklister = "blacklister";
    public const string Rescuer = "rescuer";

    /// <summary>Solana: the mint's mint authority (setAuthority MintTokens).</summary>
    public const string MintTokens = "mintTokens";

    /// <summary>Solana: the mint's freeze authority (setAuthority FreezeAccount).</summary>
    public const string FreezeAccount = "freezeAccount";
}
