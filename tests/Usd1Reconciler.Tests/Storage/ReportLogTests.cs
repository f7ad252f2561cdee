using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>The append and hash link both report logs take through <see cref="ReportLog"/>, against an in-memory chain.</summary>
public sealed class ReportLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    // Canonical content whose copied columns match, so ReportChain.Verify checks the links and hashes alone.
    private static ReportDraft Draft(int run) =>
        new("scheduled", At, At, "covered", "0",
            $"{{\"run\":{run},\"kind\":\"scheduled\",\"verdict\":\"covered\",\"shortfallUsd\":\"0\",\"createdAt\":\"{ReportCanonicalForm.Time(At)}\",\"evaluatedAt\":\"{ReportCanonicalForm.Time(At)}\"}}");

    [Test]
    public async Task AppendAsync_NewChain_FirstLinksToGenesisWithId1_NextLinksToIt()
    {
        var chain = new InMemoryChain();

        var (first, _) = await ReportLog.AppendAsync(chain, Draft(1), null, CancellationToken.None);
        var (second, _) = await ReportLog.AppendAsync(chain, Draft(2), null, CancellationToken.None);

        Assert.That((first.Id, first.PreviousHash, first.Hash), Is.EqualTo((1L, ReportChain.GenesisHash, ReportChain.Hash(ReportChain.GenesisHash, Draft(1).Canonical))));
        Assert.That((second.Id, second.PreviousHash), Is.EqualTo((2L, first.Hash)));
        Assert.That(ReportChain.Verify(chain.Reports, ReportChain.GenesisHash), Is.Empty, "what the routine appends verifies");
    }

    [Test]
    public async Task AppendAsync_AllStoredPruned_LinksToTheAnchorAndContinuesItsIds()
    {
        var chain = new InMemoryChain { Anchor = (41, new string('a', 64)) };

        var (report, appended) = await ReportLog.AppendAsync(chain, Draft(1), null, CancellationToken.None);

        Assert.That((appended, report.Id, report.PreviousHash), Is.EqualTo((true, 42L, new string('a', 64))));
    }

    [Test]
    public async Task AppendAsync_NewestStoredAndAnchor_LinksToTheNewestNotTheAnchor()
    {
        var chain = new InMemoryChain { Anchor = (41, new string('a', 64)) };
        var (newest, _) = await ReportLog.AppendAsync(chain, Draft(1), null, CancellationToken.None);

        var (next, _) = await ReportLog.AppendAsync(chain, Draft(2), null, CancellationToken.None);

        Assert.That((next.Id, next.PreviousHash), Is.EqualTo((43L, newest.Hash)));
    }

    [Test]
    public async Task AppendAsync_ScheduledFiringAppendedAlready_ReturnsTheFirstAndWritesNothing()
    {
        var chain = new InMemoryChain();
        var firing = At.AddMinutes(5);
        var (first, firstAppended) = await ReportLog.AppendAsync(chain, Draft(1), firing, CancellationToken.None);

        var (again, appended) = await ReportLog.AppendAsync(chain, Draft(2), firing, CancellationToken.None);
        var (other, otherAppended) = await ReportLog.AppendAsync(chain, Draft(3), firing.AddMinutes(5), CancellationToken.None);

        Assert.That((firstAppended, appended, otherAppended), Is.EqualTo((true, false, true)));
        Assert.That(again, Is.EqualTo(first), "a second instance running the same firing gets the first's report");
        Assert.That(chain.Reports.Select(r => r.Id), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(other.PreviousHash, Is.EqualTo(first.Hash));
    }

    [Test]
    public void Head_CountsPrunedReportsTowardsTheLength()
    {
        Assert.That(ReportLog.Head(storedCount: 3, prunedCount: 10, headHash: "h"), Is.EqualTo(new ReportChainHead(13, 10, "h")));
        Assert.That(ReportLog.Anchor(null), Is.EqualTo((0L, ReportChain.GenesisHash)));
    }

    private sealed class InMemoryChain : IReportChainTransaction
    {
        private readonly Dictionary<(string Kind, DateTimeOffset ScheduledFor), StoredReport> _scheduled = [];

        public List<StoredReport> Reports { get; } = [];

        public (long PrunedThrough, string Hash)? Anchor { get; init; }

        public Task<StoredReport?> FindScheduledAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
            Task.FromResult(_scheduled.GetValueOrDefault((kind, scheduledFor)));

        public Task<(long Id, string Hash)?> NewestAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Reports.Count == 0 ? null : ((long Id, string Hash)?)(Reports[^1].Id, Reports[^1].Hash));

        public Task<(long PrunedThrough, string Hash)?> AnchorAsync(CancellationToken cancellationToken) => Task.FromResult(Anchor);

        public Task<long> InsertAsync(ReportDraft report, DateTimeOffset? scheduledFor, long id, string previousHash, string hash, CancellationToken cancellationToken)
        {
            var stored = new StoredReport(id, report.Kind, report.CreatedAt, report.EvaluatedAt, report.Verdict, report.ShortfallUsd, report.Canonical, previousHash, hash);
            Reports.Add(stored);
            if (scheduledFor is { } firing)
            {
                _scheduled[(report.Kind, firing)] = stored;
            }

            return Task.FromResult(id);
        }
    }
}
