using Usd1Reconciler.Solana.Decoding;

namespace Usd1Reconciler.Configuration;

public static partial class OptionsValidator
{
    /// <summary>
    /// A Solana network's policy names the mint's authorities only (agave's authority type names: mintTokens,
    /// freezeAccount, closeMint, permanentDelegate, metadataPointer, pause, …), each a base58 address or <c>none</c>,
    /// and may say whether the mint is expected paused (Token-2022 pausable). The EVM-only parts would silently never
    /// match anything on Solana, so they are refused.
    /// </summary>
    private static void ValidateSolanaGovernance(GovernanceOptions g, string prefix, List<string> problems)
    {
        foreach (var (authority, holder) in g.Authorities)
        {
            if (!SplAuthorityTypes.MintAuthorityTypes.Contains(authority))
            {
                problems.Add($"{prefix}:Authorities:{authority}: not a mint authority type of a Solana mint (one of {string.Join(", ", SplAuthorityTypes.MintAuthorityTypes.Order(StringComparer.Ordinal))})");
            }
            else if (!string.Equals(holder, "none", StringComparison.OrdinalIgnoreCase) && !Base58AddressAttribute.IsAddress(holder))
            {
                problems.Add($"{prefix}:Authorities:{authority}: '{holder}' is neither a base58 address nor none");
            }
        }

        var evmOnly = new (string Key, bool Set)[]
        {
            ("RoleHolders", g.RoleHolders.Count > 0), ("MaxMinterAllowances", g.MaxMinterAllowances.Count > 0), ("Owner", g.Owner is not null),
            ("Implementations", g.Implementations.Count > 0), ("ProxyAdmin", g.ProxyAdmin is not null), ("MaxDenylisted", g.MaxDenylisted is not null),
        };
        foreach (var (name, _) in evmOnly.Where(p => p.Set))
        {
            problems.Add($"{prefix}:{name}: applies to Evm networks only; a Solana network's policy names its Authorities");
        }
    }
}
