using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Tests.Core.Presentation;

[TestFixture]
public sealed class PercentTextTests
{
    [TestCase(10150L, "101.50 %")]
    [TestCase(3707L, "37.07 %")]
    [TestCase(1L, "0.01 %")]
    [TestCase(-5L, "-0.05 %")]
    [TestCase(1234567L, "12,345.67 %")]
    public void FromBps_Bps_ExactPercentWithTwoDecimals(long bps, string expected) =>
        Assert.That(PercentText.FromBps(bps), Is.EqualTo(expected));

    [Test]
    public void FromBps_Null_NoFigure() => Assert.That(PercentText.FromBps((long?)null), Is.EqualTo("–"));
}
