namespace Usd1Reconciler.Core.Networks;

/// <summary>
/// The token's scale and name as first read from the chain, stored with the network's identity (invariant 9):
/// base units / 10^<paramref name="Decimals"/> = tokens = dollars. Once stored it is never replaced; a later read
/// that differs is a page (anomaly TokenIdentityChanged), not a new scale.
/// </summary>
/// <param name="Decimals">ERC-20 decimals() or the SPL mint's decimals, 0..77.</param>
/// <param name="Symbol">ERC-20 symbol() when the token answers it; null on Solana (the mint account has no symbol) or when unreadable.</param>
public sealed record TokenIdentity(int Decimals, string? Symbol)
{
    /// <summary>A uint256 below 10^78 has at most 78 digits, so more than 77 decimals cannot describe an amount.</summary>
    public const int MaxDecimals = 77;

    /// <summary>What differs between the stored identity and a later read, or null when they agree (an unreadable symbol agrees).</summary>
    public string? Differences(TokenIdentity read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var changes = new List<string>(2);
        if (read.Decimals != Decimals)
        {
            changes.Add($"decimals {Decimals} -> {read.Decimals}");
        }

        if (Symbol is not null && read.Symbol is not null && !string.Equals(Symbol, read.Symbol, StringComparison.Ordinal))
        {
            changes.Add($"symbol '{Symbol}' -> '{read.Symbol}'");
        }

        return changes.Count == 0 ? null : string.Join(", ", changes);
    }
}
