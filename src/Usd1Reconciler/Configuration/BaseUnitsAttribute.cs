using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// An amount in base units, given as a string of digits because a uint256 does not survive a JSON number; on a
/// dictionary it judges each value. Checked by the same parser that later reads it (<see cref="TokenAmount.TryParseDecimal"/>).
/// </summary>
public sealed class BaseUnitsAttribute : OptionRuleAttribute
{
    /// <summary>The parser's message already quotes the offending text (shortened), so the walker need not repeat it.</summary>
    public override bool ShowsValue => false;

    public override string? Problem(object value) =>
        TokenAmount.TryParseDecimal(value as string, out _, out var error) ? null : $"{error} (amounts are strings of base units)";
}
