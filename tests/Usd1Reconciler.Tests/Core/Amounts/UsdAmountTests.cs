using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Tests.Core.Amounts;

[TestFixture]
public sealed class UsdAmountTests
{
    [TestCase("0", "0")]
    [TestCase("1250000.25", "1250000.25")]
    [TestCase("0.000000000000000001", "0.000000000000000001")]
    [TestCase("-3.10", "-3.1")]
    [TestCase("007.500", "7.5")]
    public void TryParse_PlainDecimal_RoundTripsExactly(string text, string expected)
    {
        Assert.That(UsdAmount.TryParse(text, out var amount, out var error), Is.True, error);
        Assert.That(amount.ToString(), Is.EqualTo(expected));
    }

    [TestCase("1e6")]
    [TestCase("1,000.00")]
    [TestCase("$5")]
    [TestCase("0.0000000000000000001")]
    [TestCase("")]
    [TestCase("1.")]
    public void TryParse_AnythingNeedingInterpretation_Refused(string text)
    {
        Assert.That(UsdAmount.TryParse(text, out _, out var error), Is.False, "a figure is parsed exactly or not at all");
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void FromTokenUnits_SixAndEighteenDecimals_Exact()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UsdAmount.FromTokenUnits(1, 6).ToString(), Is.EqualTo("0.000001"));
            Assert.That(UsdAmount.FromTokenUnits(BigInteger.Pow(10, 18), 18).ToString(), Is.EqualTo("1"));
            Assert.That(UsdAmount.FromTokenUnits(1, 20).ToString(), Is.EqualTo("0.000000000000000001"), "above 18 decimals supply rounds up, never down");
        });
    }
}
