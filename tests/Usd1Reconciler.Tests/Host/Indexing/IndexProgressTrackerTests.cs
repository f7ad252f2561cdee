using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Tests.Host.Indexing;

public sealed class IndexProgressTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static (IndexProgressTracker Tracker, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        return (new IndexProgressTracker(new Dictionary<string, string> { ["eth"] = "block", ["sol"] = "slot" }, time), time);
    }

    [Test]
    public void Snapshot_CommitsDuringAPass_CursorEventsRateAndEtaFromTheCommits()
    {
        var (tracker, time) = Create();
        tracker.PassStarted("eth", 999, 11_000);
        time.Advance(TimeSpan.FromSeconds(5));
        tracker.Committed("eth", 1_999, 3);
        time.Advance(TimeSpan.FromSeconds(5));
        tracker.Committed("eth", 2_999, 4);

        var snapshot = tracker.Snapshot("eth");

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Cursor, Is.EqualTo(2_999));
            Assert.That(snapshot.Target, Is.EqualTo(11_000));
            Assert.That(snapshot.Events, Is.EqualTo(7));
            Assert.That(snapshot.PerSecond, Is.EqualTo(200).Within(1e-9), "2,000 blocks in 10 s");
            Assert.That(snapshot.TimeToGo, Is.EqualTo(TimeSpan.FromSeconds(41)), "8,001 blocks at 200/s = 40.005 s, rounded up");
            Assert.That(snapshot.CatchingUp, Is.True);
        });
    }

    [Test]
    public void PassEnded_Succeeded_NotCatchingUpAndRaisesPassSucceeded()
    {
        var (tracker, _) = Create();
        var raised = new List<IndexPassResult>();
        tracker.PassSucceeded += raised.Add;
        tracker.PassStarted("sol", 100, 900);
        tracker.Committed("sol", 850, 2);
        var result = new IndexPassResult("sol", 900, 880, 2, 0, LedgerProofStatus.Ok);

        tracker.PassEnded("sol", result);

        var snapshot = tracker.Snapshot("sol");
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.CatchingUp, Is.False);
            Assert.That(snapshot.Cursor, Is.EqualTo(900));
            Assert.That(snapshot.Unit, Is.EqualTo("slot"));
            Assert.That(raised, Is.EqualTo(new[] { result }));
        });
    }

    [Test]
    public void PassEnded_Failed_NotActiveAndNothingRaised()
    {
        var (tracker, _) = Create();
        var raised = 0;
        tracker.PassSucceeded += _ => raised++;
        tracker.PassStarted("eth", 10, 500);
        tracker.Committed("eth", 200, 0);

        tracker.PassEnded("eth", null);

        Assert.That(tracker.Snapshot("eth").Active, Is.False);
        Assert.That(tracker.Snapshot("eth").Cursor, Is.EqualTo(200), "the committed cursor stands: it is in the store");
        Assert.That(raised, Is.Zero);
    }

    [Test]
    public void PassStarted_AfterAnIdleMinute_RateIgnoresTheIdleTime()
    {
        var (tracker, time) = Create();
        tracker.PassStarted("eth", 0, 1_000);
        tracker.Committed("eth", 1_000, 0);
        tracker.PassEnded("eth", new IndexPassResult("eth", 1_000, 1_000, 0, 0, LedgerProofStatus.Ok));
        time.Advance(TimeSpan.FromMinutes(1));

        tracker.PassStarted("eth", 1_000, 3_000);
        time.Advance(TimeSpan.FromSeconds(2));
        tracker.Committed("eth", 1_200, 0);

        Assert.That(tracker.Snapshot("eth").PerSecond, Is.EqualTo(100).Within(1e-9), "200 blocks in the 2 s of this pass");
    }

    [Test]
    public void Snapshot_UnknownNetwork_NotStarted()
    {
        var (tracker, _) = Create();

        Assert.That(tracker.Snapshot("eth").Describe(), Is.EqualTo("network eth: starting"));
    }
}
