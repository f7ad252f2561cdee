using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Tests.Host.Indexing;

public sealed class IndexProgressSnapshotTests
{
    [Test]
    public void Describe_CatchingUp_BlockOfTargetEventsRateAndEta()
    {
        var snapshot = new IndexProgressSnapshot("ethereum", "block", 1_200, 5_000, 37, 42.5, TimeSpan.FromSeconds(32), Active: true, Started: true);

        Assert.That(snapshot.Describe(), Is.EqualTo("network ethereum: block 1200 of 5000, 37 events, 42.5 blocks/s, ETA 32 s"));
        Assert.That(snapshot.CatchingUp, Is.True);
    }

    [Test]
    public void Describe_SolanaWithoutRateYet_SlotsAndDashes()
    {
        var snapshot = new IndexProgressSnapshot("solana", "slot", 300, 900, 0, null, null, Active: true, Started: true);

        Assert.That(snapshot.Describe(), Is.EqualTo("network solana: slot 300 of 900, 0 events, – slots/s, ETA –"));
    }

    [Test]
    public void Describe_BetweenPasses_NoRateNoEtaAndNotCatchingUp()
    {
        var snapshot = new IndexProgressSnapshot("ethereum", "block", 5_000, 5_000, 37, null, TimeSpan.Zero, Active: false, Started: true);

        Assert.That(snapshot.Describe(), Is.EqualTo("network ethereum: block 5000, 37 events, between passes"));
        Assert.That(snapshot.CatchingUp, Is.False);
    }

    [TestCase(0, "0 s")]
    [TestCase(59, "59 s")]
    [TestCase(60, "1 min")]
    [TestCase(200, "3 min 20 s")]
    [TestCase(7_500, "2 h 5 min")]
    public void Duration_Seconds_WholeUnitsThePersonNeeds(int seconds, string expected) =>
        Assert.That(IndexProgressSnapshot.Duration(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
}
