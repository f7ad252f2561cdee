using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Tests.Host.Indexing;

public sealed class ProgressWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void PerSecond_CursorMoved1000BlocksIn10Seconds_Is100()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 5_000);
        window.Add(Start.AddSeconds(4), 5_400);
        window.Add(Start.AddSeconds(10), 6_000);

        Assert.That(window.PerSecond(Start.AddSeconds(10)), Is.EqualTo(100).Within(1e-9));
    }

    [Test]
    public void TimeToGo_4000BlocksLeftAt100PerSecond_Is40Seconds()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 5_000);
        window.Add(Start.AddSeconds(10), 6_000);

        Assert.That(window.TimeToGo(6_000, 10_000, Start.AddSeconds(10)), Is.EqualTo(TimeSpan.FromSeconds(40)));
    }

    [Test]
    public void TimeToGo_FractionalSeconds_RoundsUpSoTheEtaIsNeverEarly()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 0);
        window.Add(Start.AddSeconds(3), 10); // 3.33 blocks/s

        Assert.That(window.TimeToGo(10, 11, Start.AddSeconds(3)), Is.EqualTo(TimeSpan.FromSeconds(1)), "0.3 s to go shows as 1 s");
    }

    [Test]
    public void PerSecond_StalledAfterMoving_FallsWithTimeInsteadOfFreezing()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 0);
        window.Add(Start.AddSeconds(10), 1_000);

        Assert.That(window.PerSecond(Start.AddSeconds(10)), Is.EqualTo(100).Within(1e-9));
        Assert.That(window.PerSecond(Start.AddSeconds(20)), Is.EqualTo(50).Within(1e-9), "no commit for 10 s: the rate halves");
    }

    [Test]
    public void PerSecond_OlderThanTheWindow_OnlyRecentMovementCounts()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 0);
        window.Add(Start.AddSeconds(60), 60_000);   // 1000/s in the first minute
        window.Add(Start.AddSeconds(120), 66_000);  // 100/s in the second
        window.Add(Start.AddSeconds(121), 66_100);

        // The first sample falls out; the window starts at the 60 s sample: 6,100 blocks in 61 s.
        Assert.That(window.PerSecond(Start.AddSeconds(121)), Is.EqualTo(6_100 / 61.0).Within(1e-9));
    }

    [Test]
    public void TimeToGo_AtOrPastTheTarget_IsZero()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));

        Assert.That(window.TimeToGo(10_000, 10_000, Start), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void TimeToGo_NoMovementYet_IsUnknown()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 5_000);

        Assert.Multiple(() =>
        {
            Assert.That(window.PerSecond(Start), Is.Null, "no time has passed");
            Assert.That(window.TimeToGo(5_000, 6_000, Start.AddSeconds(5)), Is.Null, "a rate of zero gives no ETA, not infinity");
        });
    }

    [Test]
    public void Add_ManyCommitsWithinAQuarterSecond_TheLatestCursorStillCounts()
    {
        var window = new ProgressWindow(TimeSpan.FromSeconds(60));
        window.Add(Start, 0);
        for (var i = 1; i <= 100; i++)
        {
            window.Add(Start.AddMilliseconds(i), i * 10);
        }

        Assert.That(window.PerSecond(Start.AddSeconds(1)), Is.EqualTo(1_000).Within(1e-9));
    }
}
