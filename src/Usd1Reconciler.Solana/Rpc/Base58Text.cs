namespace Usd1Reconciler.Solana.Rpc;

/// <summary>Base58 (Bitcoin alphabet) as Solana writes addresses, hashes, signatures and unparsed instruction data.</summary>
internal static class Base58Text
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static bool IsValid(string text) => text.Length > 0 && text.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>Decodes to bytes; false on a character outside the alphabet.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        var value = System.Numerics.BigInteger.Zero;
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = value * 58 + digit;
        }

        // Each leading '1' stands for a leading zero byte, which the number itself cannot carry.
        var leadingZeros = text.TakeWhile(c => c == '1').Count();
        var body = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes = new byte[leadingZeros + body.Length];
        body.CopyTo(bytes, leadingZeros);
        return true;
    }
}
