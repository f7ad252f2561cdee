using System.Globalization;

namespace Usd1Reconciler.Core.Presentation;

/// <summary>
/// Basis points as a percentage with exactly two decimals — a basis point is 0.01 %, so nothing is rounded:
/// 10150 → "101.50 %", -5 → "-0.05 %", null → <see cref="UsdText.NoFigure"/>.
/// </summary>
public static class PercentText
{
    public static string FromBps(long bps)
    {
        var magnitude = Math.Abs((decimal)bps) / 100m;
        return (bps < 0 ? "-" : "") + magnitude.ToString("#,##0.00", CultureInfo.InvariantCulture) + " %";
    }

    public static string FromBps(long? bps) => bps is { } b ? FromBps(b) : UsdText.NoFigure;
}
