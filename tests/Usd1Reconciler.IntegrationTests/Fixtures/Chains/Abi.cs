using System.Globalization;
using System.Numerics;
using System.Text;
using Usd1Reconciler.Evm.Decoding;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>Just enough ABI encoding for the tests to call the token: selectors, addresses and uint256 words.</summary>
internal static class Abi
{
    public static string Selector(string signature) =>
        "0x" + Convert.ToHexStringLower(EventTopics.Keccak256(Encoding.ASCII.GetBytes(signature)).AsSpan(0, 4));

    public static string Call(string signature, params object[] args)
    {
        var data = new StringBuilder(Selector(signature));
        foreach (var arg in args)
        {
            data.Append(Word(arg));
        }

        return data.ToString();
    }

    public static string Word(object value) => value switch
    {
        string address when address.StartsWith("0x", StringComparison.Ordinal) && address.Length == 42 => address[2..].ToLowerInvariant().PadLeft(64, '0'),
        BigInteger n => Uint256(n),
        int n => Uint256(n),
        long n => Uint256(n),
        _ => throw new ArgumentException($"cannot ABI-encode {value}"),
    };

    private static string Uint256(BigInteger value)
    {
        if (value.Sign < 0 || value > (BigInteger.One << 256) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var hex = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return hex.PadLeft(64, '0');
    }
}
