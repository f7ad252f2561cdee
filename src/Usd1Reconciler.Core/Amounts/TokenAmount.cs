using System.Globalization;
using System.Numerics;

namespace Usd1Reconciler.Core.Amounts;

/// <summary>
/// A token amount in base units: an unsigned 256-bit integer, as every EVM token and (within u64) every SPL token
/// counts. Never a floating-point number, never a <see cref="long"/>: a single mint can be 2^256−1.
/// </summary>
public readonly record struct TokenAmount : IComparable<TokenAmount>
{
    /// <summary>2^256 − 1, the largest amount an ERC-20 can hold.</summary>
    public static readonly BigInteger MaxValue = (BigInteger.One << 256) - 1;

    public static readonly TokenAmount Zero = new(BigInteger.Zero);

    public TokenAmount(BigInteger value)
    {
        if (value.Sign < 0 || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A token amount must lie in [0, 2^256-1].");
        }

        Value = value;
    }

    public BigInteger Value { get; }

    /// <summary>Parses a base-10 string of digits only (no sign, no exponent, no separators).</summary>
    public static TokenAmount ParseDecimal(string text)
    {
        if (!TryParseDecimal(text, out var amount, out var error))
        {
            throw new FormatException(error);
        }

        return amount;
    }

    public static bool TryParseDecimal(string? text, out TokenAmount amount, out string error)
    {
        amount = Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "amount is empty";
            return false;
        }

        // 2^256-1 has 78 digits; anything longer is out of range, and we refuse before BigInteger allocates it.
        if (text.Length > 78 || !text.All(char.IsAsciiDigit))
        {
            error = text.Length > 78
                ? $"amount has {text.Length} digits, more than uint256 can hold"
                : $"amount '{Truncate(text)}' is not a base-10 unsigned integer";
            return false;
        }

        var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > MaxValue)
        {
            error = "amount exceeds 2^256-1";
            return false;
        }

        amount = new TokenAmount(value);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses an EVM quantity or 32-byte word: "0x" followed by 1–64 hex digits.</summary>
    public static TokenAmount ParseHex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseHex(text.AsSpan());
    }

    /// <summary>As <see cref="ParseHex(string)"/>, over a slice (e.g. one word of an event's data) without copying it.</summary>
    public static TokenAmount ParseHex(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"hex amount '{Truncate(text)}' lacks the 0x prefix");
        }

        var digits = text[2..];
        if (digits.Length is 0 or > 64)
        {
            throw new FormatException($"hex amount has {digits.Length} digits; a uint256 has 1 to 64");
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException($"hex amount '{Truncate(text)}' has a non-hex character '{c}'");
            }
        }

        // Most amounts fit 60 bits: a 32-byte word of them is mostly leading zeros. Those are read as a long, which
        // spares BigInteger's general parser (and its copy of the digits) on the backfill's hot path.
        var significant = digits.TrimStart('0');
        if (significant.Length <= 15)
        {
            return new TokenAmount(significant.Length == 0 ? BigInteger.Zero : long.Parse(significant, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        // A leading zero keeps BigInteger from reading the top bit as a sign.
        var value = BigInteger.Parse(string.Concat("0", significant), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return new TokenAmount(value);
    }

    public int CompareTo(TokenAmount other) => Value.CompareTo(other.Value);

    public static bool operator <(TokenAmount left, TokenAmount right) => left.CompareTo(right) < 0;

    public static bool operator >(TokenAmount left, TokenAmount right) => left.CompareTo(right) > 0;

    public static bool operator <=(TokenAmount left, TokenAmount right) => left.CompareTo(right) <= 0;

    public static bool operator >=(TokenAmount left, TokenAmount right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    private static string Truncate(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}
