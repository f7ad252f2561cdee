using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Core.Reconciliation;

public sealed class ReportChainTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A correctly linked chain of <paramref name="count"/> reports with ids from <paramref name="firstId"/>, after <paramref name="anchor"/>.</summary>
    private static List<StoredReport> Chain(int count, long firstId = 1, string? anchor = null)
    {
        var reports = new List<StoredReport>();
        var previous = anchor ?? ReportChain.GenesisHash;
        for (var i = 0; i < count; i++)
        {
            var canonical = $$"""{"kind":"scheduled","createdAt":"{{ReportCanonicalForm.Time(At)}}","evaluatedAt":"{{ReportCanonicalForm.Time(At)}}","verdict":"covered","shortfallUsd":"0","n":{{i}}}""";
            var hash = ReportChain.Hash(previous, canonical);
            reports.Add(new StoredReport(firstId + i, "scheduled", At, At, "covered", "0", canonical, previous, hash));
            previous = hash;
        }

        return reports;
    }

    [Test]
    public void CheckReaches_ExpectedHeadIsTheHeadAndLengthMatches_NoProblem()
    {
        var chain = Chain(3);

        Assert.That(ReportChain.CheckReaches(chain, ReportChain.GenesisHash, 0, chain[2].Hash, 3), Is.Empty);
    }

    [Test]
    public void CheckReaches_ChainGrewSinceTheWitnessSawIt_NoProblem()
    {
        var chain = Chain(5);

        Assert.That(ReportChain.CheckReaches(chain, ReportChain.GenesisHash, 0, chain[2].Hash, 3), Is.Empty,
            "a head seen at length 3 is report 3 of a chain that has grown to 5");
    }

    [Test]
    public void CheckReaches_NewestReportRemoved_ExpectedHeadMissingAndCountShort()
    {
        var chain = Chain(3);
        var oldHead = chain[2].Hash;
        chain.RemoveAt(2);

        Assert.That(ReportChain.Verify(chain, ReportChain.GenesisHash), Is.Empty, "a chain cut at its end links perfectly: Verify alone cannot see it");
        var problems = ReportChain.CheckReaches(chain, ReportChain.GenesisHash, 0, oldHead, 3);
        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems, Has.Some.Contains($"does not reach the expected head {oldHead}").And.Some.Contains("head is now report 2"));
        Assert.That(problems, Has.Some.Contains("holds 2 reports (0 pruned + 2 stored), fewer than the 3 expected"));
    }

    [Test]
    public void CheckReaches_NewestReplacedByAnotherReport_ExpectedHeadMissing()
    {
        var original = Chain(3);
        var replaced = Chain(2);
        var canonical = """{"kind":"scheduled","verdict":"covered","n":"other"}""";
        replaced.Add(new StoredReport(3, "scheduled", At, At, "covered", "0", canonical, replaced[1].Hash, ReportChain.Hash(replaced[1].Hash, canonical)));

        Assert.That(ReportChain.CheckReaches(replaced, ReportChain.GenesisHash, 0, original[2].Hash, 3), Has.One.Contains("does not reach the expected head"),
            "same length, different head: only the head expectation can tell");
    }

    [Test]
    public void CheckReaches_ExpectedHeadAtAnotherPosition_ReportsBeforeItChanged()
    {
        var chain = Chain(4);

        Assert.That(ReportChain.CheckReaches(chain, ReportChain.GenesisHash, 0, chain[1].Hash, 3),
            Has.One.Contains("is report 2 at length 2, not at the expected length 3"));
    }

    [Test]
    public void CheckReaches_PrunedReportsCountAndAnchorHashIsReached_NoProblem()
    {
        var full = Chain(5);
        var stored = full.Skip(3).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ReportChain.CheckReaches(stored, full[2].Hash, 3, full[4].Hash, 5), Is.Empty, "3 pruned + 2 stored = the 5 seen");
            Assert.That(ReportChain.CheckReaches(stored, full[2].Hash, 3, full[2].Hash, null), Is.Empty, "the anchor is the last pruned report's hash");
            Assert.That(ReportChain.CheckReaches(stored, full[2].Hash, 3, full[0].Hash, null), Has.One.Contains("pruned by retention"),
                "a report behind the anchor cannot be confirmed, and the message says why");
        });
    }

    [Test]
    public void CheckReaches_UpperCaseHash_ComparedLowerCase()
    {
        var chain = Chain(2);

        Assert.That(ReportChain.CheckReaches(chain, ReportChain.GenesisHash, 0, chain[1].Hash.ToUpperInvariant(), null), Is.Empty);
    }

    [Test]
    public void CheckReaches_EmptyChainExpectedOne_Problem()
    {
        Assert.That(ReportChain.CheckReaches([], ReportChain.GenesisHash, 0, null, 1), Has.One.Contains("the chain is empty"));
    }

    [TestCase("abc", false)]
    [TestCase("zz00000000000000000000000000000000000000000000000000000000000000", false)]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", true)]
    [TestCase("ABCDEF0000000000000000000000000000000000000000000000000000000000", true)]
    public void IsHash_Text_TrueOnlyFor64HexDigits(string text, bool expected) =>
        Assert.That(ReportChain.IsHash(text), Is.EqualTo(expected));
}
