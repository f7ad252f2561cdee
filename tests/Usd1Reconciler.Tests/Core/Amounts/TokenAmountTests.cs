using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Tests.Core.Amounts;

public sealed class TokenAmountTests
{
    private static readonly string Max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

    [Test]
    public void ParseDecimal_TwoTo256MinusOne_RoundTrips()
    {
        var amount = TokenAmount.ParseDecimal(Max);
        Assert.That(amount.Value, Is.EqualTo((BigInteger.One << 256) - 1));
        Assert.That(amount.ToString(), Is.EqualTo(Max));
    }

    [TestCase("115792089237316195423570985008687907853269984665640564039457584007913129639936", "exceeds")]
    [TestCase("-1", "not a base-10")]
    [TestCase("1e6", "not a base-10")]
    [TestCase("1.5", "not a base-10")]
    [TestCase(" 1", "not a base-10")]
    [TestCase("", "empty")]
    [TestCase("1234567890123456789012345678901234567890123456789012345678901234567890123456789", "more than uint256")]
    public void TryParseDecimal_OutOfRangeOrGarbled_RefusedWithReason(string text, string reason)
    {
        Assert.That(TokenAmount.TryParseDecimal(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void ParseHex_FullWordWithTopBitSet_IsPositive()
    {
        var amount = TokenAmount.ParseHex("0x" + new string('f', 64));
        Assert.That(amount.Value, Is.EqualTo(TokenAmount.MaxValue), "a leading f must not be read as a sign bit");
    }

    // Either side of the 15-significant-digit boundary where parsing switches from long to BigInteger, with and
    // without the leading zeros of a 32-byte word; the expected values are computed independently of ParseHex.
    [TestCase("0x0", "0")]
    [TestCase("0x" + "0000000000000000000000000000000000000000000000000000000000000000", "0")]
    [TestCase("0x" + "00000000000000000000000000000000000000000000000000000000000f4240", "1000000")]
    [TestCase("0x" + "0000000000000000000000000000000000000000000000000fffffffffffffff", "1152921504606846975")]
    [TestCase("0x" + "000000000000000000000000000000000000000000000000ffffffffffffffff", "18446744073709551615")]
    [TestCase("0x7fffffffffffffff", "9223372036854775807")]
    [TestCase("0x8000000000000000", "9223372036854775808")]
    [TestCase("0xFfFfFfFfFfFfFfF", "1152921504606846975")]
    public void ParseHex_AroundTheLongFastPath_ExactValue(string text, string expected) =>
        Assert.That(TokenAmount.ParseHex(text).Value, Is.EqualTo(System.Numerics.BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void ParseHex_SliceOfALongerText_ReadsOnlyTheSlice()
    {
        var data = "0x" + new string('0', 63) + "5" + new string('f', 64);
        Assert.That(TokenAmount.ParseHex(data.AsSpan(0, 66)).Value, Is.EqualTo(new System.Numerics.BigInteger(5)));
    }

    [TestCase("ff", "lacks the 0x")]
    [TestCase("0x", "1 to 64")]
    [TestCase("0x1g", "non-hex")]
    public void ParseHex_Malformed_Refused(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => TokenAmount.ParseHex(text));
        Assert.That(ex!.Message, Does.Contain(reason));
    }

    [Test]
    public void ParseHex_SixtyFiveDigits_RefusedAsBeyondUint256()
    {
        Assert.Throws<FormatException>(() => TokenAmount.ParseHex("0x1" + new string('0', 64)));
    }

    [Test]
    public void Constructor_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TokenAmount(BigInteger.MinusOne));
    }
}
