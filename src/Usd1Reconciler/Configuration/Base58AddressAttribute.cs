using System.Text.RegularExpressions;

namespace Usd1Reconciler.Configuration;

/// <summary>A Solana address: 32–44 characters of the base58 alphabet (no 0, O, I or l).</summary>
public sealed partial class Base58AddressAttribute : OptionRuleAttribute
{
    public override string? Problem(object value) =>
        value is string text && Pattern().IsMatch(text) ? null : "must be a base58 address (32-44 characters, no 0, O, I or l)";

    /// <summary>The same test for code whose address rule depends on the network's kind (excluded holders).</summary>
    public static bool IsAddress(string? text) => text is not null && Pattern().IsMatch(text);

    [GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{32,44}$")]
    private static partial Regex Pattern();
}
