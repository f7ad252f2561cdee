using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Tests.Core.Presentation;

[TestFixture]
public sealed class DurationTextTests
{
    [TestCase(0, 0, 0, 31, 300, "31 s")]
    [TestCase(0, 0, 0, 59, 999, "59 s")]
    [TestCase(0, 0, 5, 3, 0, "5 min 3 s")]
    [TestCase(0, 0, 10, 0, 0, "10 min")]
    [TestCase(0, 2, 5, 59, 0, "2 h 5 min")]
    [TestCase(0, 2, 0, 0, 0, "2 h")]
    [TestCase(1, 2, 0, 0, 0, "1 d 2 h")]
    [TestCase(90, 0, 0, 0, 0, "90 d")]
    [TestCase(0, 0, 0, 0, 250, "250 ms")]
    [TestCase(0, 0, 0, 0, 0, "0 s")]
    public void Format_Span_TwoLargestUnitsTruncated(int days, int hours, int minutes, int seconds, int milliseconds, string expected) =>
        Assert.That(DurationText.Format(new TimeSpan(days, hours, minutes, seconds, milliseconds)), Is.EqualTo(expected));

    [Test]
    public void Format_IssueExampleAge_NoTicks() =>
        Assert.That(DurationText.Format(TimeSpan.Parse("00:00:31.0003061", System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo("31 s"));

    [Test]
    public void Format_Negative_SignKept() => Assert.That(DurationText.Format(TimeSpan.FromSeconds(-5)), Is.EqualTo("-5 s"));
}
