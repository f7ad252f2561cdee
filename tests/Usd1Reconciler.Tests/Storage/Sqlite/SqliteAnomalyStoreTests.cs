using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteAnomalyStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly AnomalyPaging Paging = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24));
    private static readonly AnomalyPaging Unpushed = Paging with { AlertmanagerConfigured = false };
    private string _directory = null!;
    private SqliteSupplyStore _supply = null!;
    private SqliteAnomalyStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-anomaly-").FullName;
        _supply = SqliteSupplyStore.Open(Path.Combine(_directory, "s.db"), TimeProvider.System);
        _store = new SqliteAnomalyStore(_supply);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static Anomaly Oversized(string tx, string actor = "0xm", DateTimeOffset? at = null) =>
        new(AnomalyRule.OversizedMint, "eth", "page", "s", "d", 5, tx, actor, new TokenAmount(9), at ?? Now, $"OversizedMint|eth|{tx}|0|-1");

    [Test]
    public async Task RecordScreen_SameIncidentWithinCooldown_StoredButPagedOnce()
    {
        await _store.RecordScreenAsync([Oversized("0x1")], [], Paging, Now, CancellationToken.None);
        var second = await _store.RecordScreenAsync([Oversized("0x2")], [], Paging, Now.AddMinutes(5), CancellationToken.None);
        var third = await _store.RecordScreenAsync([Oversized("0x3")], [], Paging, Now.AddMinutes(16), CancellationToken.None);

        Assert.That(second.Single().PageState, Is.EqualTo("cooldown"), "same rule, network and minter within 10 minutes");
        Assert.That(third.Single().PageState, Is.EqualTo("queued"), "past the cooldown the incident pages again");
        Assert.That((await _store.GetDueAlertsAsync(Now.AddHours(1), 10, CancellationToken.None)).Select(a => a.Anomaly.Anomaly.TransactionId), Is.EqualTo(new[] { "0x1", "0x3" }));
    }

    [Test]
    public async Task RecordScreen_SameFingerprintTwice_OneAnomaly()
    {
        await _store.RecordScreenAsync([Oversized("0x1")], [], Paging, Now, CancellationToken.None);
        var again = await _store.RecordScreenAsync([Oversized("0x1")], [], Paging, Now.AddHours(2), CancellationToken.None);
        Assert.That(again, Is.Empty, "a re-screen after a crash must not store or page the same finding twice");
        Assert.That(await _store.CountPendingAlertsAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task RecordScreen_OldOrUntimedEvidence_StoredNotPaged()
    {
        var stored = await _store.RecordScreenAsync([Oversized("0x1", at: Now.AddDays(-3)), Oversized("0x2", actor: "0xn") with { OccurredAt = null }], [], Paging, Now, CancellationToken.None);
        Assert.That(stored.Select(s => s.PageState), Is.All.EqualTo("history"), "backfilled history must not wake anyone");
        Assert.That(await _store.CountPendingAlertsAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Outbox_FailedThenDelivered_LeavesOutboxOnlyWhenAccepted()
    {
        await _store.RecordScreenAsync([Oversized("0x1")], [], Paging, Now, CancellationToken.None);
        var due = await _store.GetDueAlertsAsync(Now, 10, CancellationToken.None);
        await _store.MarkFailedAsync([due[0].OutboxId], "connection refused", Now.AddSeconds(2), CancellationToken.None);

        Assert.That(await _store.GetDueAlertsAsync(Now.AddSeconds(1), 10, CancellationToken.None), Is.Empty, "not before its backoff");
        var retry = await _store.GetDueAlertsAsync(Now.AddSeconds(2), 10, CancellationToken.None);
        Assert.That(retry.Single().Attempts, Is.EqualTo(1));
        await _store.MarkDeliveredAsync([retry[0].OutboxId], Now.AddSeconds(2), CancellationToken.None);
        Assert.That(await _store.CountPendingAlertsAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Condition_RaisedRefreshedThenResolved_FirePagesRefreshAndResolve()
    {
        var mismatch = SupplyAnomalyDetector.LedgerMismatch("eth", new LedgerProofReading(1, 10, new TokenAmount(5), 4, Now));
        Assert.That(await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Paging, Now, CancellationToken.None), Is.Not.Null);
        Assert.That(await _store.RaiseConditionAsync(mismatch with { Fingerprint = "other" }, TimeSpan.FromMinutes(5), Paging, Now.AddMinutes(1), CancellationToken.None), Is.Null, "one open condition per rule and network");
        await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Paging, Now.AddMinutes(6), CancellationToken.None);
        Assert.That(await _store.ResolveConditionAsync(AnomalyRule.UnexplainedSupplyChange, "eth", Paging, Now.AddMinutes(7), CancellationToken.None), Is.EqualTo(1));

        var actions = (await _store.GetDueAlertsAsync(Now.AddHours(1), 10, CancellationToken.None)).Select(a => a.Action);
        Assert.That(actions, Is.EqualTo(new[] { "fire", "fire", "resolve" }), "fired, refreshed after 5 minutes, resolved when the proof held again");
    }

    [Test]
    public async Task RecordScreen_NoAlertmanagerConfigured_StoredUnpagedWithReasonAndNothingPending()
    {
        var stored = await _store.RecordScreenAsync([Oversized("0x1"), Oversized("0x2", actor: "0xother")], [], Unpushed, Now, CancellationToken.None);
        var recent = await _store.GetRecentAnomaliesAsync(10, CancellationToken.None);
        var pending = await _store.CountPendingAlertsAsync(CancellationToken.None);
        var due = await _store.GetDueAlertsAsync(Now.AddDays(1), 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stored.Select(s => (s.PageState, s.PageNote)), Is.All.EqualTo(("unpaged", "not paged: no Alertmanager configured")));
            Assert.That(recent.Select(s => s.PageNote), Is.All.EqualTo("not paged: no Alertmanager configured"), "the reason is stored, not only returned");
            Assert.That(pending, Is.Zero, "nothing waits for an Alertmanager that does not exist");
            Assert.That(due, Is.Empty);
        });
    }

    [Test]
    public async Task Condition_RaisedWithoutAlertmanager_UnpagedUntilOneIsConfiguredThenPagedOnce()
    {
        var mismatch = SupplyAnomalyDetector.LedgerMismatch("eth", new LedgerProofReading(1, 10, new TokenAmount(5), 4, Now));

        var opened = await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Unpushed, Now, CancellationToken.None);
        await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Unpushed, Now.AddMinutes(10), CancellationToken.None);
        Assert.That(opened!.PageState, Is.EqualTo("unpaged"));
        Assert.That(await _store.CountPendingAlertsAsync(CancellationToken.None), Is.Zero, "no refresh is queued without an Alertmanager either");

        // Restarted with an Alertmanager: the condition is still true, so it pages now — once, not as a new anomaly.
        Assert.That(await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Paging, Now.AddMinutes(11), CancellationToken.None), Is.Null);
        await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Paging, Now.AddMinutes(12), CancellationToken.None);
        var due = await _store.GetDueAlertsAsync(Now.AddMinutes(12), 10, CancellationToken.None);
        Assert.That(due.Select(d => (d.Action, d.Anomaly.Id)), Is.EqualTo(new[] { ("fire", opened.Id) }));
        Assert.That((await _store.GetRecentAnomaliesAsync(1, CancellationToken.None)).Single().PageState, Is.EqualTo("queued"));
    }

    [Test]
    public async Task ResolveCondition_UnpagedCondition_ResolvedWithoutAPush()
    {
        var mismatch = SupplyAnomalyDetector.LedgerMismatch("eth", new LedgerProofReading(1, 10, new TokenAmount(5), 4, Now));
        await _store.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Unpushed, Now, CancellationToken.None);

        var resolved = await _store.ResolveConditionAsync(AnomalyRule.UnexplainedSupplyChange, "eth", Paging, Now.AddMinutes(1), CancellationToken.None);

        Assert.That(resolved, Is.EqualTo(1));
        Assert.That(await _store.CountPendingAlertsAsync(CancellationToken.None), Is.Zero, "nothing was paged, so there is nothing to resolve at Alertmanager");
    }

    [Test]
    public async Task AbandonUndelivered_QueuedBeforeWithoutAlertmanager_NotPendingAndNeverPagedOnesMarkedUnpaged()
    {
        await _store.RecordScreenAsync([Oversized("0x1")], [], Paging, Now, CancellationToken.None);
        await _store.RecordScreenAsync([Oversized("0x2", actor: "0xother")], [], Paging, Now, CancellationToken.None);
        var delivered = (await _store.GetDueAlertsAsync(Now, 10, CancellationToken.None)).First(d => d.Anomaly.Anomaly.TransactionId == "0x2");
        await _store.MarkDeliveredAsync([delivered.OutboxId], Now, CancellationToken.None);

        var abandoned = await _store.AbandonUndeliveredAsync(AnomalyPaging.NoAlertmanagerNote, Now.AddMinutes(1), CancellationToken.None);
        var states = (await _store.GetRecentAnomaliesAsync(10, CancellationToken.None)).ToDictionary(a => a.Anomaly.TransactionId!, a => a.PageState);
        var pending = await _store.CountPendingAlertsAsync(CancellationToken.None);
        var due = await _store.GetDueAlertsAsync(Now.AddDays(1), 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(abandoned, Is.EqualTo(1));
            Assert.That(pending, Is.Zero);
            Assert.That(due, Is.Empty, "an abandoned entry is not retried later");
            Assert.That(states, Is.EqualTo(new Dictionary<string, string> { ["0x1"] = "unpaged", ["0x2"] = "queued" }), "the delivered page stays a page");
        });
    }

    [Test]
    public async Task Screen_EventsMarkedScreened_NotReturnedAgainAndReorgedReplacementsAre()
    {
        var id = await _supply.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xt"), CancellationToken.None);
        var mint = new SupplyEvent(SupplyEventKind.Mint, 3, "0xh3", "0xa", 0, -1, "0xm", "0xh", new TokenAmount(1), Now);
        await _supply.CommitBatchAsync(new IndexedBatch(id, [mint], [], new ChainTip(3, "0xh3"), Now), CancellationToken.None);
        var first = await _store.GetUnscreenedEventsAsync("eth", 100, CancellationToken.None);
        await _store.RecordScreenAsync([], first.Select(f => f.RowId).ToList(), Paging, Now, CancellationToken.None);
        Assert.That(await _store.GetUnscreenedEventsAsync("eth", 100, CancellationToken.None), Is.Empty);

        await _supply.RollBackAsync(new ChainReorganization(id, 2, "0xh2", 1, "0xh3", "0xh3b", Now, []), CancellationToken.None);
        await _supply.CommitBatchAsync(new IndexedBatch(id, [mint with { BlockHash = "0xh3b", TransactionId = "0xb" }], [], new ChainTip(3, "0xh3b"), Now), CancellationToken.None);
        Assert.That((await _store.GetUnscreenedEventsAsync("eth", 100, CancellationToken.None)).Single().Event.TransactionId, Is.EqualTo("0xb"), "the winning fork's events are screened too");
        var reorgAnomalies = await _store.ScreenReorgsAsync(1, Paging, Now, CancellationToken.None);
        Assert.That(reorgAnomalies.Anomalies.Single().Anomaly.Rule, Is.EqualTo(AnomalyRule.DeepReorg));
        Assert.That(reorgAnomalies.Reorgs, Is.EqualTo(new[] { ("eth", 1) }));
        Assert.That((await _store.ScreenReorgsAsync(1, Paging, Now, CancellationToken.None)).Reorgs, Is.Empty, "a reorg is screened once");
    }
}
