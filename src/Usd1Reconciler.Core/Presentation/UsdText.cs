using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Presentation;

/// <summary>
/// Dollar figures for people: thousands groups, always the cents, and — exact, never rounded — any sub-cent digits
/// the figure has, to its last non-zero one ("49,080,374.06 USD", "18,432,288.958741 USD", "0.000001 USD"). A reserve
/// feed may state 18 decimal places and a shortfall may be a fraction of a cent; rounding either to cents would show a
/// figure that is not the report's. A figure an Inconclusive report lacks is <see cref="NoFigure"/>.
/// </summary>
public static class UsdText
{
    /// <summary>What is shown where a figure does not exist (an Inconclusive report's circulating, reserves, coverage, shortfall).</summary>
    public const string NoFigure = "–";

    public const string Unit = "USD";

    private static readonly BigInteger AttoPerDollar = BigInteger.Pow(10, UsdAmount.Scale);

    /// <summary>"1,250,000.25 USD".</summary>
    public static string Format(UsdAmount amount) => Number(amount) + " " + Unit;

    public static string Format(UsdAmount? amount) => amount is { } a ? Format(a) : NoFigure;

    /// <summary>"1,250,000.25": without the unit, for a column whose header names it.</summary>
    public static string Number(UsdAmount amount)
    {
        var whole = BigInteger.DivRem(BigInteger.Abs(amount.Atto), AttoPerDollar, out var fraction);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(UsdAmount.Scale, '0').TrimEnd('0');
        var text = whole.ToString("N0", CultureInfo.InvariantCulture) + "." + digits.PadRight(2, '0');
        return amount.Sign < 0 ? "-" + text : text;
    }

    /// <summary>Decimal text as a report stores it ("1250000.25"), or <see cref="NoFigure"/> when absent or not a plain decimal.</summary>
    public static string FormatText(string? exact) =>
        UsdAmount.TryParse(exact, out var amount, out _) ? Format(amount) : NoFigure;
}
