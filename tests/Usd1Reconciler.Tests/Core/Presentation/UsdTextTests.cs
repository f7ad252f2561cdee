using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Tests.Core.Presentation;

[TestFixture]
public sealed class UsdTextTests
{
    [TestCase("49080374.06", "49,080,374.06 USD")]
    [TestCase("1000", "1,000.00 USD")]
    [TestCase("0", "0.00 USD")]
    [TestCase("0.5", "0.50 USD")]
    [TestCase("-2.5", "-2.50 USD")]
    [TestCase("28420148.03824", "28,420,148.03824 USD")]
    [TestCase("18432288.958741", "18,432,288.958741 USD")]
    public void Format_Amount_GroupedWithCents(string amount, string expected) =>
        Assert.That(UsdText.Format(UsdAmount.Parse(amount)), Is.EqualTo(expected));

    [TestCase("49080374.055", "49,080,374.055 USD")]
    [TestCase("0.004999", "0.004999 USD")]
    [TestCase("0.000000000000000001", "0.000000000000000001 USD")]
    [TestCase("-0.001", "-0.001 USD")]
    public void Format_SubCentDigits_ShownNotRounded(string amount, string expected) =>
        Assert.That(UsdText.Format(UsdAmount.Parse(amount)), Is.EqualTo(expected), "a fraction of a cent is part of the figure; rounding would hide it");

    [Test]
    public void Format_Absent_NoFigure()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UsdText.Format((UsdAmount?)null), Is.EqualTo("–"));
            Assert.That(UsdText.FormatText(null), Is.EqualTo("–"));
            Assert.That(UsdText.FormatText("1250000.25"), Is.EqualTo("1,250,000.25 USD"));
        });
    }
}
