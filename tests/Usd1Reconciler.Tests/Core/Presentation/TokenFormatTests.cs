using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Tests.Core.Presentation;

[TestFixture]
public sealed class TokenFormatTests
{
    private static readonly TokenFormat Six = new(6, "USD1");
    private static readonly TokenFormat Eighteen = new(18, "USD1");

    [TestCase("50000000000000", "50,000,000 USD1")]
    [TestCase("11175967059476", "11,175,967.059476 USD1")]
    [TestCase("1", "0.000001 USD1")]
    [TestCase("0", "0 USD1")]
    [TestCase("1000000", "1 USD1")]
    [TestCase("123450000", "123.45 USD1")]
    public void Format_SixDecimals_TokenUnitsGroupedExact(string baseUnits, string expected) =>
        Assert.That(Six.Format(BigInteger.Parse(baseUnits, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(expected));

    [TestCase("50000000000000000000000000", "50,000,000 USD1")]
    [TestCase("1", "0.000000000000000001 USD1")]
    [TestCase("1000000000000000001", "1.000000000000000001 USD1")]
    public void Format_EighteenDecimals_TokenUnitsGroupedExact(string baseUnits, string expected) =>
        Assert.That(Eighteen.Format(BigInteger.Parse(baseUnits, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(expected));

    [Test]
    public void Format_OneBaseUnitShortOfFiftyMillion_TheMissingUnitShows()
    {
        var fiftyMillion = BigInteger.Parse("50000000000000", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(Six.Format(fiftyMillion - 1), Is.EqualTo("49,999,999.999999 USD1"), "no rounding up to 50,000,000: that base unit is the shortfall");
            Assert.That(Eighteen.Format(BigInteger.Pow(10, 18) * 50_000_000 - 1), Is.EqualTo("49,999,999.999999999999999999 USD1"));
        });
    }

    [Test]
    public void Format_MaxUint256ZeroAndEighteenDecimals_EveryDigitKept()
    {
        var max = new TokenAmount(TokenAmount.MaxValue);

        Assert.Multiple(() =>
        {
            Assert.That(new TokenFormat(0, "USD1").Format(max),
                Is.EqualTo("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457,584,007,913,129,639,935 USD1"));
            Assert.That(Eighteen.Format(max),
                Is.EqualTo("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935 USD1"));
            Assert.That(new TokenFormat(77, "USD1").Format(max),
                Is.EqualTo("1.15792089237316195423570985008687907853269984665640564039457584007913129639935 USD1"), "the largest scale a uint256 can carry");
        });
    }

    [Test]
    public void Format_NegativeDifference_SignBeforeTheFigure()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Six.Format(new BigInteger(-1)), Is.EqualTo("-0.000001 USD1"), "on-chain one base unit below indexed");
            Assert.That(Six.Format(BigInteger.Parse("-2500000000000", System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo("-2,500,000 USD1"));
        });
    }

    [Test]
    public void Format_DecimalsNeverRead_BaseUnitsLabelledSo()
    {
        var unknown = new TokenFormat(null, "USD1");

        Assert.That(unknown.Format(new BigInteger(3_125_000_000)), Is.EqualTo("3,125,000,000 base units"),
            "without the stored decimals no token figure exists; the base units are shown and named");
    }

    [Test]
    public void Format_ConfiguredSymbol_IsTheLabel() =>
        Assert.That(new TokenFormat(6, "USD1.e").Format(new BigInteger(1_500_000)), Is.EqualTo("1.5 USD1.e"));
}
