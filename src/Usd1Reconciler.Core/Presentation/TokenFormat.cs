using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Presentation;

/// <summary>
/// Token amounts for people: base units divided by 10^<see cref="Decimals"/>, the whole part in thousands groups, the
/// fraction written out to its last non-zero digit and the symbol after it ("50,000,000 USD1", "0.000001 USD1").
/// Exact by construction — trailing zero decimals are dropped, a non-zero digit never is — so a shortfall of one base
/// unit shows as such instead of rounding to a round figure. Display only: base units stay in JSON, in report fields
/// and in metric values.
/// </summary>
/// <param name="Decimals">The token's decimals as stored from the chain (0..77); null while they were never read, and then
/// the amount is shown in base units, labelled so, because no token figure exists without them.</param>
/// <param name="Symbol">The configured symbol (e.g. "USD1"): the label a treasury desk knows, the same on every network.</param>
public sealed record TokenFormat(int? Decimals, string Symbol)
{
    /// <summary>The label of an amount whose decimals are unknown.</summary>
    public const string BaseUnitsLabel = "base units";

    public string Format(TokenAmount amount) => Format(amount.Value);

    /// <summary>Any signed amount in base units — differences ("on-chain minus indexed") can be negative.</summary>
    public string Format(BigInteger baseUnits)
    {
        if (Decimals is not { } decimals)
        {
            return Grouped(baseUnits) + " " + BaseUnitsLabel;
        }

        return Number(baseUnits, decimals) + " " + Symbol;
    }

    /// <summary>"1,234.5": the amount in token units without the symbol, for a column whose header names it.</summary>
    public static string Number(BigInteger baseUnits, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var magnitude = BigInteger.Abs(baseUnits);
        var whole = BigInteger.DivRem(magnitude, BigInteger.Pow(10, decimals), out var fraction);
        var text = whole.ToString("N0", CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0').TrimEnd('0');
        }

        return baseUnits.Sign < 0 ? "-" + text : text;
    }

    /// <summary>An integer in thousands groups: "11,175,967,059,476", "-1".</summary>
    public static string Grouped(BigInteger value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
