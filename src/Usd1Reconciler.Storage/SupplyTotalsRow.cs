using System.Globalization;
using System.Numerics;

namespace Usd1Reconciler.Storage;

/// <summary>
/// A network's running totals row (<c>supply_totals</c>) as both providers read it, the sums as exact decimal text
/// (PostgreSQL reads its <c>numeric</c> as <c>::text</c>), and its one mapping to <see cref="SupplyTotals"/>.
/// </summary>
internal sealed class SupplyTotalsRow
{
    public long FinalBlock { get; init; }
    public string Minted { get; init; } = "";
    public string Burned { get; init; } = "";
    public long Mints { get; init; }
    public long Burns { get; init; }

    public SupplyTotals ToTotals() => new(FinalBlock, ParseSum(Minted), ParseSum(Burned), Mints, Burns);

    private static BigInteger ParseSum(string text) => BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
