using System.Globalization;

namespace Usd1Reconciler.Evm.Rpc;

/// <summary>
/// Strict readers for the hex encodings of the Ethereum JSON-RPC API: quantities ("0x" + digits) and fixed-size data.
/// Lenient parsing would turn a broken reply into a wrong number; these throw <see cref="FormatException"/> instead.
/// </summary>
public static class EvmHex
{
    /// <summary>A block number, log index or chain id: "0x" and 1–16 hex digits, fitting a non-negative long.</summary>
    public static long ParseQuantity(string? text, string what)
    {
        if (text is null)
        {
            throw new FormatException($"{what} is missing");
        }

        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length < 3)
        {
            throw new FormatException($"{what} '{Shorten(text)}' is not a 0x-prefixed hex quantity");
        }

        var digits = text.AsSpan(2);
        if (digits.Length > 16 || !long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new FormatException($"{what} '{Shorten(text)}' does not fit a non-negative 64-bit integer");
        }

        return value;
    }

    /// <summary>A 0x-prefixed hash or word of exactly <paramref name="bytes"/> bytes, returned lower-cased.</summary>
    public static string ParseData(string? text, int bytes, string what)
    {
        if (text is null)
        {
            throw new FormatException($"{what} is missing");
        }

        if (text.Length != 2 + (bytes * 2) || !text.StartsWith("0x", StringComparison.Ordinal) || !IsHex(text.AsSpan(2)))
        {
            throw new FormatException($"{what} '{Shorten(text)}' is not 0x followed by {bytes * 2} hex digits");
        }

        return text.ToLowerInvariant();
    }

    /// <summary>
    /// <see cref="ParseQuantity(string?, string)"/> over the UTF-8 text of a JSON string, without a string in between.
    /// Anything the fast path does not accept is handed to the string version, so both accept and refuse exactly the
    /// same texts with the same messages.
    /// </summary>
    public static long ParseQuantity(ReadOnlySpan<byte> utf8, string what)
    {
        if (utf8.Length is >= 3 and <= 18 && utf8[0] == '0' && utf8[1] == 'x')
        {
            long value = 0;
            var ok = true;
            foreach (var b in utf8[2..])
            {
                var digit = HexValue(b);
                ok &= digit >= 0;
                value = (value << 4) | (uint)digit;
            }

            if (ok && value >= 0)
            {
                return value;
            }
        }

        return ParseQuantity(System.Text.Encoding.UTF8.GetString(utf8), what);
    }

    /// <summary>
    /// <see cref="ParseData(string?, int, string)"/> over the UTF-8 text of a JSON string: the lower-case text is built
    /// straight from the bytes. Anything else goes through the string version (same acceptance, same messages).
    /// </summary>
    public static string ParseData(ReadOnlySpan<byte> utf8, int bytes, string what)
    {
        if (utf8.Length == 2 + (bytes * 2) && utf8[0] == '0' && utf8[1] == 'x' && IsLowerHex(utf8[2..]))
        {
            return System.Text.Encoding.ASCII.GetString(utf8);
        }

        return ParseData(System.Text.Encoding.UTF8.GetString(utf8), bytes, what);
    }

    /// <summary>0x-prefixed data of any even length (e.g. an eth_call result).</summary>
    public static byte[] ParseBytes(string? text, string what)
    {
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0 || !IsHex(text.AsSpan(2)))
        {
            throw new FormatException($"{what} '{Shorten(text ?? "null")}' is not 0x-prefixed hex data of whole bytes");
        }

        return Convert.FromHexString(text.AsSpan(2));
    }

    public static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Normalises a configured address: 0x + 40 hex digits, lower case.</summary>
    public static string NormalizeAddress(string address) => ParseData(address, 20, "address");

    private static bool IsHex(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> digits)
    {
        foreach (var b in digits)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
