using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Usd1Reconciler.Core.Amounts;

/// <summary>
/// An exact US-dollar amount, held as an integer count of 10^-18 USD ("atto-dollars"). Reserve figures arrive as
/// decimal text ("1250000.25"); token supplies arrive as integers in base units with 0–18 decimals. One integer scale
/// fine enough for both lets supply and reserves be compared without rounding and without floating point: a reserve
/// figure with more than 18 decimal places is refused, never rounded.
/// </summary>
public readonly partial record struct UsdAmount : IComparable<UsdAmount>
{
    /// <summary>Decimal places of the internal scale.</summary>
    public const int Scale = 18;

    private static readonly BigInteger OneDollar = BigInteger.Pow(10, Scale);

    public static readonly UsdAmount Zero = new(BigInteger.Zero);

    public UsdAmount(BigInteger atto)
    {
        Atto = atto;
    }

    /// <summary>The amount in 10^-18 USD.</summary>
    public BigInteger Atto { get; }

    public int Sign => Atto.Sign;

    /// <summary>
    /// Parses plain decimal text: optional '-', digits, optional '.' and 1–18 digits. No exponent, no separators,
    /// no currency sign — a figure that needs interpreting is refused with a reason instead.
    /// </summary>
    public static bool TryParse(string? text, out UsdAmount amount, out string error)
    {
        amount = Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "amount is empty";
            return false;
        }

        if (text.Length > 64 || !DecimalPattern().IsMatch(text))
        {
            error = $"amount '{(text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text)}' is not a plain decimal number with at most {Scale} decimal places";
            return false;
        }

        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? string.Empty : body[(dot + 1)..];
        var digits = whole + fraction.PadRight(Scale, '0');
        var value = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        amount = new UsdAmount(negative ? -value : value);
        error = string.Empty;
        return true;
    }

    public static UsdAmount Parse(string text) =>
        TryParse(text, out var amount, out var error) ? amount : throw new FormatException(error);

    /// <summary>
    /// A token amount in base units of a token with <paramref name="decimals"/> decimals, as dollars (one token = one
    /// dollar). Exact for 0–18 decimals; above 18 the figure is rounded up, so supply is never understated.
    /// </summary>
    public static UsdAmount FromTokenUnits(BigInteger units, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (decimals <= Scale)
        {
            return new UsdAmount(units * BigInteger.Pow(10, Scale - decimals));
        }

        var divisor = BigInteger.Pow(10, decimals - Scale);
        var quotient = BigInteger.DivRem(units, divisor, out var remainder);
        return new UsdAmount(remainder.IsZero || units.Sign < 0 ? quotient : quotient + 1);
    }

    /// <summary>This amount times <paramref name="bps"/>/10000, rounded up (a requirement is never understated).</summary>
    public UsdAmount TimesBpsCeiling(long bps)
    {
        var product = Atto * bps;
        var quotient = BigInteger.DivRem(product, 10_000, out var remainder);
        return new UsdAmount(remainder.Sign > 0 ? quotient + 1 : quotient);
    }

    /// <summary>This amount times <paramref name="bps"/>/10000, rounded down (an allowance is never overstated).</summary>
    public UsdAmount TimesBpsFloor(long bps) => new(BigInteger.Divide(Atto * bps, 10_000));

    /// <summary>Floor of this/<paramref name="denominator"/> in basis points; null when the denominator is zero.</summary>
    public long? RatioBps(UsdAmount denominator) =>
        denominator.Atto.IsZero ? null : (long)BigInteger.Min(BigInteger.Divide(Atto * 10_000, denominator.Atto), long.MaxValue);

    public static UsdAmount operator +(UsdAmount left, UsdAmount right) => new(left.Atto + right.Atto);

    public static UsdAmount operator -(UsdAmount left, UsdAmount right) => new(left.Atto - right.Atto);

    public static bool operator <(UsdAmount left, UsdAmount right) => left.Atto < right.Atto;

    public static bool operator >(UsdAmount left, UsdAmount right) => left.Atto > right.Atto;

    public static bool operator <=(UsdAmount left, UsdAmount right) => left.Atto <= right.Atto;

    public static bool operator >=(UsdAmount left, UsdAmount right) => left.Atto >= right.Atto;

    public static UsdAmount Max(UsdAmount left, UsdAmount right) => left >= right ? left : right;

    public int CompareTo(UsdAmount other) => Atto.CompareTo(other.Atto);

    /// <summary>Exact decimal text, trailing zeros dropped: "1250000.25", "0.000001", "-3".</summary>
    public override string ToString()
    {
        var magnitude = BigInteger.Abs(Atto);
        var whole = BigInteger.DivRem(magnitude, OneDollar, out var fraction);
        var text = whole.ToString(CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Scale, '0').TrimEnd('0');
        }

        return Atto.Sign < 0 ? "-" + text : text;
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]{1,18})?$")]
    private static partial Regex DecimalPattern();
}
