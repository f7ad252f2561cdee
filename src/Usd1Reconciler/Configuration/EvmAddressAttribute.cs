using System.Text.RegularExpressions;

namespace Usd1Reconciler.Configuration;

/// <summary>An EVM address: 0x followed by 40 hex digits (either case; the checksum is not required).</summary>
public sealed partial class EvmAddressAttribute : OptionRuleAttribute
{
    public override string? Problem(object value) =>
        value is string text && Pattern().IsMatch(text) ? null : "must be 0x followed by 40 hex digits";

    /// <summary>The same test for code whose address rule depends on the network's kind (excluded holders).</summary>
    public static bool IsAddress(string? text) => text is not null && Pattern().IsMatch(text);

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Pattern();
}
