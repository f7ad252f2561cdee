using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.IntegrationTests.Stores;

public sealed partial class StoreContractTests
{
    private static readonly AnomalyPaging Paging = new(TimeSpan.FromMinutes(30), TimeSpan.FromDays(1));

    private static Anomaly Finding(string fingerprint, string? actor, DateTimeOffset? occurredAt, AnomalyRule rule = AnomalyRule.UnknownMinter) =>
        new(rule, "eth", "page", $"summary {fingerprint}", "description", 10, "0x" + fingerprint, actor, new TokenAmount(TokenAmount.MaxValue), occurredAt, fingerprint);

    [Test]
    public async Task RecordScreen_NewRecentCooldownAndOld_PagedOnceEventsScreenedDuplicatesIgnored()
    {
        await Index.CommitBatchAsync(new IndexedBatch(_eth, [Mint(1, "0xa", 1, Start), Mint(2, "0xb", 2, Start)], [], new ChainTip(2, "0xhash2"), Start), CancellationToken.None);
        var anomalies = _store.Anomalies;
        var unscreened = await anomalies.GetUnscreenedEventsAsync("eth", 10, CancellationToken.None);
        Assert.That(unscreened.Select(u => u.Event.TransactionId), Is.EqualTo(new[] { "0xa", "0xb" }));

        var stored = await anomalies.RecordScreenAsync(
            [Finding("f1", "0xminter", Start), Finding("f2", "0xminter", Start), Finding("f3", "0xother", null)],
            unscreened.Select(u => u.RowId).ToList(), Paging, Start, CancellationToken.None);
        Assert.That(stored.Select(s => (s.Anomaly.Fingerprint, s.PageState)), Is.EqualTo(new[] { ("f1", "queued"), ("f2", "cooldown"), ("f3", "history") }),
            "same actor within the cooldown is stored, not paged again; evidence without a time is history");
        Assert.That(stored[0].Anomaly, Is.EqualTo(Finding("f1", "0xminter", Start)), "amount 2^256-1 and every field read back as written");

        Assert.That(await anomalies.GetUnscreenedEventsAsync("eth", 10, CancellationToken.None), Is.Empty);
        Assert.That((await anomalies.GetWindowHistoryAsync("eth", Start.AddHours(-1), CancellationToken.None)).Select(e => e.TransactionId), Is.EquivalentTo(new[] { "0xa", "0xb" }));
        Assert.That(await anomalies.GetWindowHistoryAsync("eth", Start.AddHours(1), CancellationToken.None), Is.Empty);

        var again = await anomalies.RecordScreenAsync([Finding("f1", "0xminter", Start)], [], Paging, Start.AddHours(2), CancellationToken.None);
        Assert.That(again, Is.Empty, "a fingerprint already stored is one record and one page");

        var due = await anomalies.GetDueAlertsAsync(Start, 10, CancellationToken.None);
        Assert.That(due.Select(d => (d.Action, d.Anomaly.Anomaly.Fingerprint, d.Attempts)), Is.EqualTo(new[] { ("fire", "f1", 0) }));
        Assert.That(await anomalies.CountPendingAlertsAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await anomalies.CountAnomaliesAsync(CancellationToken.None), Is.EqualTo(new[] { ("UnknownMinter", "eth", 3L) }));
        Assert.That((await anomalies.GetRecentAnomaliesAsync(2, CancellationToken.None)).Select(a => a.Anomaly.Fingerprint), Is.EqualTo(new[] { "f3", "f2" }));
    }

    [Test]
    public async Task Outbox_FailedThenDelivered_RetriedAtNextAttemptAndNoLongerPending()
    {
        var anomalies = _store.Anomalies;
        await anomalies.RecordScreenAsync([Finding("f1", "0xminter", Start)], [], Paging, Start, CancellationToken.None);
        var outboxId = (await anomalies.GetDueAlertsAsync(Start, 10, CancellationToken.None)).Single().OutboxId;

        await anomalies.MarkFailedAsync([outboxId], "connection refused", Start.AddMinutes(5), CancellationToken.None);
        Assert.That(await anomalies.GetDueAlertsAsync(Start.AddMinutes(4), 10, CancellationToken.None), Is.Empty, "not before its next attempt");
        var retry = (await anomalies.GetDueAlertsAsync(Start.AddMinutes(5), 10, CancellationToken.None)).Single();
        Assert.That(retry.Attempts, Is.EqualTo(1));

        await anomalies.MarkDeliveredAsync([outboxId], Start.AddMinutes(5), CancellationToken.None);
        Assert.That(await anomalies.GetDueAlertsAsync(Start.AddDays(1), 10, CancellationToken.None), Is.Empty);
        Assert.That(await anomalies.CountPendingAlertsAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task RaiseCondition_OpenRefreshResolve_OnePageARefreshAfterTheIntervalAndOneResolve()
    {
        var anomalies = _store.Anomalies;
        var condition = Finding("ledger-1", null, Start, AnomalyRule.UnexplainedSupplyChange);
        var opened = await anomalies.RaiseConditionAsync(condition, TimeSpan.FromHours(1), Paging, Start, CancellationToken.None);
        Assert.That(opened!.PageState, Is.EqualTo("queued"));
        Assert.That(await anomalies.RaiseConditionAsync(condition with { Fingerprint = "ledger-2" }, TimeSpan.FromHours(1), Paging, Start.AddMinutes(10), CancellationToken.None), Is.Null,
            "an open condition is not opened again");
        await anomalies.RaiseConditionAsync(condition with { Fingerprint = "ledger-3" }, TimeSpan.FromHours(1), Paging, Start.AddHours(2), CancellationToken.None);

        var fires = await anomalies.GetDueAlertsAsync(Start.AddHours(2), 10, CancellationToken.None);
        Assert.That(fires.Select(f => f.Action), Is.EqualTo(new[] { "fire", "fire" }), "the first page and one refresh after the interval");

        Assert.That(await anomalies.ResolveConditionAsync(AnomalyRule.UnexplainedSupplyChange, "eth", Paging, Start.AddHours(3), CancellationToken.None), Is.EqualTo(1));
        var all = await anomalies.GetDueAlertsAsync(Start.AddHours(3), 10, CancellationToken.None);
        Assert.That(all.Select(a => a.Action), Is.EqualTo(new[] { "fire", "fire", "resolve" }));
        Assert.That(all[^1].Anomaly.ResolvedAt, Is.EqualTo(Start.AddHours(3)));
        Assert.That(await anomalies.ResolveConditionAsync(AnomalyRule.UnexplainedSupplyChange, "eth", Paging, Start.AddHours(4), CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task NoAlertmanager_UnpagedThenAbandonedThenPagedWhenConfigured()
    {
        var anomalies = _store.Anomalies;
        await anomalies.RecordScreenAsync([Finding("f1", "0xminter", Start)], [], Paging, Start, CancellationToken.None);
        Assert.That(await anomalies.AbandonUndeliveredAsync("Alertmanager removed from the configuration", Start.AddMinutes(1), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await anomalies.CountPendingAlertsAsync(CancellationToken.None), Is.Zero);
        var abandoned = (await anomalies.GetRecentAnomaliesAsync(1, CancellationToken.None)).Single();
        Assert.That((abandoned.PageState, abandoned.PageNote), Is.EqualTo(("unpaged", "Alertmanager removed from the configuration")));

        var without = Paging with { AlertmanagerConfigured = false };
        var condition = Finding("ledger-1", null, Start, AnomalyRule.UnexplainedSupplyChange);
        var unpaged = await anomalies.RaiseConditionAsync(condition, TimeSpan.FromHours(1), without, Start, CancellationToken.None);
        Assert.That((unpaged!.PageState, unpaged.PageNote), Is.EqualTo(("unpaged", AnomalyPaging.NoAlertmanagerNote)));
        Assert.That(await anomalies.CountPendingAlertsAsync(CancellationToken.None), Is.Zero, "nothing waits for an Alertmanager nobody configured");

        await anomalies.RaiseConditionAsync(condition, TimeSpan.FromHours(1), Paging, Start.AddMinutes(5), CancellationToken.None);
        var paged = (await anomalies.GetDueAlertsAsync(Start.AddMinutes(5), 10, CancellationToken.None)).Single();
        Assert.That(paged.Anomaly.PageState, Is.EqualTo("queued"));
        Assert.That(paged.Anomaly.PageNote, Does.StartWith(AnomalyPaging.NoAlertmanagerNote + " when detected; paged 2026-11-25T12:05:00"));
    }
}
