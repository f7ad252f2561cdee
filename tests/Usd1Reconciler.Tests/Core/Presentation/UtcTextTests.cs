using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Tests.Core.Presentation;

[TestFixture]
public sealed class UtcTextTests
{
    [Test]
    public void Format_TimeWithFractionAndOffset_UtcToTheSecond()
    {
        var at = new DateTimeOffset(2026, 12, 1, 10, 9, 42, TimeSpan.FromHours(2)).AddTicks(9_999_999);

        Assert.That(UtcText.Format(at), Is.EqualTo("2026-12-01 08:09:42 UTC"), "converted to UTC, the fraction cut off, not rounded into the next second");
    }
}
