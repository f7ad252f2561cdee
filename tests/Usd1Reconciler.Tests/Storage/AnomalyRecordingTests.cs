using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>
/// The paging decisions both anomaly stores take through <see cref="AnomalyRecording"/>, against an in-memory outbox;
/// the store contract suite runs the same behaviour through the SQL of both providers.
/// </summary>
public sealed class AnomalyRecordingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AnomalyPaging Paging = new(Cooldown: TimeSpan.FromMinutes(15), Lookback: TimeSpan.FromHours(1));
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(4);

    private static Anomaly Discrete(string fingerprint, DateTimeOffset? occurredAt) =>
        new(AnomalyRule.OversizedMint, "ethereum", "page", "s", "d", 7, "0xtx", "0xactor", null, occurredAt, fingerprint);

    private static Anomaly Mismatch() =>
        new(AnomalyRule.UnexplainedSupplyChange, "ethereum", "page", "mismatch", "d", 9, null, null, null, Now - TimeSpan.FromDays(3), "mismatch|ethereum|9");

    [Test]
    public async Task RecordAsync_SameIncidentTwiceWithinCooldown_PagesOnceStoresBoth()
    {
        var outbox = new InMemoryAnomalies();

        var stored = await AnomalyRecording.RecordAsync(outbox, [Discrete("a", Now), Discrete("b", Now)], Paging, Now, CancellationToken.None);

        Assert.That(stored.Select(s => s.PageState), Is.EqualTo(new[] { "queued", "cooldown" }), "one dedupe key: the second is held back by the cooldown");
        Assert.That(outbox.Entries, Is.EqualTo(new[] { (stored[0].Id, "fire") }));
    }

    [Test]
    public async Task RecordAsync_FingerprintStoredAlready_NeitherReturnedNorPaged()
    {
        var outbox = new InMemoryAnomalies();
        await AnomalyRecording.RecordAsync(outbox, [Discrete("a", Now)], Paging, Now, CancellationToken.None);

        var again = await AnomalyRecording.RecordAsync(outbox, [Discrete("a", Now)], Paging, Now + TimeSpan.FromHours(1), CancellationToken.None);

        Assert.That(again, Is.Empty);
        Assert.That(outbox.Entries, Has.Count.EqualTo(1), "a re-screen after a crash must not page twice");
    }

    [Test]
    public async Task RecordAsync_HistoryOrNoAlertmanager_StoredWithoutOutboxEntry()
    {
        var outbox = new InMemoryAnomalies();

        var stored = await AnomalyRecording.RecordAsync(outbox, [Discrete("old", Now - TimeSpan.FromDays(1))], Paging, Now, CancellationToken.None);
        var unpaged = await AnomalyRecording.RecordAsync(outbox, [Discrete("new", Now)], Paging with { AlertmanagerConfigured = false }, Now, CancellationToken.None);

        Assert.That(stored.Single().PageState, Is.EqualTo("history"));
        Assert.That((unpaged.Single().PageState, unpaged.Single().PageNote), Is.EqualTo(("unpaged", AnomalyPaging.NoAlertmanagerNote)));
        Assert.That(outbox.Entries, Is.Empty, "nothing could deliver these pages, or they are history");
    }

    [Test]
    public async Task RaiseConditionAsync_NoneOpen_OpensAndPagesEvenWithOldEvidence()
    {
        var outbox = new InMemoryAnomalies();

        var added = await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, Now, CancellationToken.None);

        Assert.That(added?.PageState, Is.EqualTo("queued"), "a condition is true now, whatever the age of its evidence: never history");
        Assert.That(outbox.Entries, Is.EqualTo(new[] { (added!.Id, "fire") }));
    }

    [Test]
    public async Task RaiseConditionAsync_OpenAndPagedRecently_NoRefresh_OlderThanRefreshAfter_PagedAgain()
    {
        var outbox = new InMemoryAnomalies();
        var opened = await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, Now, CancellationToken.None);

        var soon = await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, Now + RefreshAfter - TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.That(outbox.Entries, Has.Count.EqualTo(1), "within refreshAfter of the last page nothing is queued");

        var later = await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, Now + RefreshAfter, CancellationToken.None);

        Assert.That((soon, later), Is.EqualTo(((StoredAnomaly?)null, (StoredAnomaly?)null)), "an open condition is never stored twice");
        Assert.That(outbox.Entries, Is.EqualTo(new[] { (opened!.Id, "fire"), (opened.Id, "fire") }));
    }

    [Test]
    public async Task RaiseConditionAsync_OpenAndPagedWithoutAlertmanager_NoRefresh()
    {
        var outbox = new InMemoryAnomalies();
        await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, Now, CancellationToken.None);

        await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging with { AlertmanagerConfigured = false }, Now + TimeSpan.FromDays(1), CancellationToken.None);

        Assert.That(outbox.Entries, Has.Count.EqualTo(1), "no refresh nobody can receive");
    }

    [Test]
    public async Task RaiseConditionAsync_OpenUnpaged_PagedOnceAlertmanagerIsConfigured()
    {
        var outbox = new InMemoryAnomalies();
        var opened = await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging with { AlertmanagerConfigured = false }, Now, CancellationToken.None);
        await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging with { AlertmanagerConfigured = false }, Now + TimeSpan.FromHours(5), CancellationToken.None);
        Assert.That((opened?.PageState, outbox.Entries.Count), Is.EqualTo(("unpaged", 0)), "still no Alertmanager: left alone");

        var pagedAt = Now + TimeSpan.FromHours(6);
        await AnomalyRecording.RaiseConditionAsync(outbox, Mismatch(), RefreshAfter, Paging, pagedAt, CancellationToken.None);

        Assert.That(outbox.Entries, Is.EqualTo(new[] { (opened!.Id, "fire") }));
        Assert.That(outbox.Rows[opened.Id].PageState, Is.EqualTo("queued"));
        Assert.That(outbox.Rows[opened.Id].PageNote, Is.EqualTo($"{AnomalyPaging.NoAlertmanagerNote} when detected; paged 2026-12-01T18:00:00.0000000Z, still open"));
    }

    [Test]
    public void ResolutionsToPush_OnlyPagedOnesOldestFirst_NoneWithoutAlertmanager()
    {
        (long, string)[] resolved = [(9, "queued"), (3, "unpaged"), (4, "queued"), (5, "cooldown"), (6, "history")];

        Assert.That(AnomalyRecording.ResolutionsToPush(resolved, Paging), Is.EqualTo(new long[] { 4, 9 }));
        Assert.That(AnomalyRecording.ResolutionsToPush(resolved, Paging with { AlertmanagerConfigured = false }), Is.Empty);
    }

    [Test]
    public async Task ScreenReorgsAsync_EveryReorgScreenedOnlyDeepOnesBecomeAnomalies()
    {
        var outbox = new InMemoryAnomalies();
        UnscreenedReorg[] reorgs =
        [
            new(1, "ethereum", 100, 2, "0xold", "0xnew", 1, Now),
            new(2, "base", 200, 12, "0xo", "0xn", 4, Now),
        ];

        var (anomalies, screened) = await AnomalyRecording.ScreenReorgsAsync(outbox, reorgs, minimumDepth: 12, Paging, Now, CancellationToken.None);

        Assert.That(screened, Is.EqualTo(new[] { ("ethereum", 2), ("base", 12) }));
        var deep = anomalies.Single().Anomaly;
        Assert.That((deep.Rule, deep.Network, deep.BlockNumber), Is.EqualTo((AnomalyRule.DeepReorg, "base", 201L)), "the first replaced block is above the common ancestor");
        Assert.That(deep.Description, Is.EqualTo("12 blocks above 200 were replaced (old tip 0xo, new 0xn); 4 provisional events were removed and re-indexed."));
    }

    /// <summary>The anomalies table and the outbox as plain collections, with the semantics both providers' SQL has.</summary>
    private sealed class InMemoryAnomalies : IAnomalyTransaction
    {
        public Dictionary<long, (Anomaly Anomaly, string DedupeKey, string PageState, string? PageNote, DateTimeOffset DetectedAt)> Rows { get; } = [];

        public List<(long AnomalyId, string Action)> Entries { get; } = [];

        private readonly List<DateTimeOffset> _entryTimes = [];

        public Task<bool> QueuedSinceAsync(string dedupeKey, DateTimeOffset since, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.Values.Any(r => r.DedupeKey == dedupeKey && r.PageState == "queued" && r.DetectedAt > since));

        public Task<long?> InsertAsync(Anomaly anomaly, string dedupeKey, string pageState, string? pageNote, DateTimeOffset detectedAt, CancellationToken cancellationToken)
        {
            if (Rows.Values.Any(r => r.Anomaly.Fingerprint == anomaly.Fingerprint))
            {
                return Task.FromResult<long?>(null);
            }

            var id = Rows.Count + 1L;
            Rows[id] = (anomaly, dedupeKey, pageState, pageNote, detectedAt);
            return Task.FromResult<long?>(id);
        }

        public Task EnqueueAsync(long anomalyId, string action, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Entries.Add((anomalyId, action));
            _entryTimes.Add(at);
            return Task.CompletedTask;
        }

        public Task<(long Id, string PageState)?> FindOpenConditionAsync(AnomalyRule rule, string network, CancellationToken cancellationToken) =>
            Task.FromResult(Rows.Where(r => r.Value.Anomaly.Rule == rule && r.Value.Anomaly.Network == network && r.Value.PageState is "queued" or "unpaged")
                .OrderByDescending(r => r.Key)
                .Select(r => ((long Id, string PageState)?)(r.Key, r.Value.PageState))
                .FirstOrDefault());

        public Task<DateTimeOffset?> LastFireAsync(long anomalyId, CancellationToken cancellationToken) =>
            Task.FromResult(Entries.Select((e, i) => (e, _entryTimes[i])).Where(x => x.e == (anomalyId, "fire")).Select(x => (DateTimeOffset?)x.Item2).Max());

        public Task MarkQueuedAsync(long anomalyId, string pageNote, CancellationToken cancellationToken)
        {
            Rows[anomalyId] = Rows[anomalyId] with { PageState = "queued", PageNote = pageNote };
            return Task.CompletedTask;
        }
    }
}
