using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// Dollar figures for people: thousands grouped, cents rounded half away from zero ("49,080,374.06"). Display only —
/// the exact figure is the decimal text in the report, and a figure an Inconclusive report lacks is shown as "–".
/// </summary>
internal static class UsdText
{
    public const string NoFigure = "–";

    private static readonly BigInteger AttoPerCent = BigInteger.Pow(10, UsdAmount.Scale - 2);

    public static string Grouped(UsdAmount amount)
    {
        var magnitude = BigInteger.Abs(amount.Atto);
        var cents = BigInteger.DivRem(magnitude, AttoPerCent, out var rest);
        if (rest * 2 >= AttoPerCent)
        {
            cents += 1;
        }

        var dollars = BigInteger.DivRem(cents, 100, out var fraction);
        var text = dollars.ToString("N0", CultureInfo.InvariantCulture) + "." + ((int)fraction).ToString("00", CultureInfo.InvariantCulture);
        return amount.Sign < 0 && !cents.IsZero ? "-" + text : text;
    }

    public static string Grouped(UsdAmount? amount) => amount is { } a ? Grouped(a) : NoFigure;

    public static string Coverage(long? bps) =>
        bps is { } b ? (b / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %" : NoFigure;
}
