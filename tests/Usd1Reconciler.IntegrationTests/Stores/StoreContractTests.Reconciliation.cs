using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.IntegrationTests.Stores;

public sealed partial class StoreContractTests
{
    private static ReserveSnapshot Snapshot(string feed, DateTimeOffset asOf, params (string Id, AssetClass Class, string Usd)[] accounts) =>
        new(0, feed, "custodian-a", asOf, accounts.Select(a => new ReserveAccount(a.Id, a.Class, "USD", UsdAmount.Parse(a.Usd), "bank-1", a.Class == AssetClass.Cash ? 0 : null)).ToList(),
            "attestation-1", "sha-" + asOf.ToUnixTimeSeconds(), null, asOf.AddMinutes(1));

    [Test]
    public async Task RecordSnapshot_TwoAsOfTimes_LatestAndAtReadBackWithExactAccounts()
    {
        var store = _store.Reconciliation;
        var older = Snapshot("feed-a", Start.AddDays(-1), ("acct-1", AssetClass.Cash, "1250000.25"), ("acct-2", AssetClass.TreasuryBills, "0.000000000000000001"));
        var newer = Snapshot("feed-a", Start, ("acct-1", AssetClass.Cash, "99999999999999999999.5"));
        var olderId = await store.RecordSnapshotAsync(older, CancellationToken.None);
        var newerId = await store.RecordSnapshotAsync(newer, CancellationToken.None);

        var latest = await store.GetLatestSnapshotAsync("feed-a", CancellationToken.None);
        Assert.That(latest!.Id, Is.EqualTo(newerId));
        Assert.That(latest.Accounts.Single().Amount, Is.EqualTo(UsdAmount.Parse("99999999999999999999.5")));

        var at = await store.GetSnapshotAtAsync("feed-a", Start.AddHours(-1), CancellationToken.None);
        Assert.That(at!.Id, Is.EqualTo(olderId));
        Assert.That(at.Accounts.Select(a => (a.AccountId, a.AssetClass, a.Amount.ToString(), a.DaysToLiquidity)), Is.EqualTo(new[]
        {
            ("acct-1", AssetClass.Cash, "1250000.25", (int?)0),
            ("acct-2", AssetClass.TreasuryBills, "0.000000000000000001", (int?)null),
        }), "accounts come back in their order, USD amounts exact to 10^-18");
        Assert.That((at.Feed, at.Custodian, at.AsOf, at.ReceivedAt, at.Attestation, at.ContentSha256, at.Signature),
            Is.EqualTo((older.Feed, older.Custodian, older.AsOf, older.ReceivedAt, older.Attestation, older.ContentSha256, older.Signature)));
        Assert.That(at.Total, Is.EqualTo(older.Total));
        Assert.That(await store.GetSnapshotAtAsync("feed-a", Start.AddDays(-2), CancellationToken.None), Is.Null);
        Assert.That(await store.GetLatestSnapshotAsync("feed-b", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task RecordSnapshot_SameFeedAndAsOfTwice_StoreConstraintExceptionAndFirstKept()
    {
        var store = _store.Reconciliation;
        await store.RecordSnapshotAsync(Snapshot("feed-a", Start, ("acct-1", AssetClass.Cash, "10")), CancellationToken.None);

        Assert.ThrowsAsync<StoreConstraintException>(() => store.RecordSnapshotAsync(Snapshot("feed-a", Start, ("acct-1", AssetClass.Cash, "20")), CancellationToken.None));

        Assert.That((await store.GetLatestSnapshotAsync("feed-a", CancellationToken.None))!.Accounts.Single().Amount.ToString(), Is.EqualTo("10"));
    }

    [Test]
    public async Task RecordRejection_ThenPrune_NewestFirstAndOldOnesRemoved()
    {
        var store = _store.Reconciliation;
        await store.RecordRejectionAsync(new FeedRejection("feed-a", Start.AddDays(-10), "bad signature", "sha-1", [1, 2, 3]), CancellationToken.None);
        await store.RecordRejectionAsync(new FeedRejection("feed-a", Start, "stale", null, [0, 255]), CancellationToken.None);

        var rejections = await store.GetRejectionsAsync("feed-a", 10, CancellationToken.None);
        Assert.That(rejections.Select(r => r.Reason), Is.EqualTo(new[] { "stale", "bad signature" }));
        Assert.That(rejections[1].Body, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(rejections[0].ContentSha256, Is.Null);

        Assert.That(await store.PruneRejectionsAsync(Start.AddDays(-1), CancellationToken.None), Is.EqualTo(1));
        Assert.That((await store.GetRejectionsAsync("feed-a", 10, CancellationToken.None)).Select(r => r.Reason), Is.EqualTo(new[] { "stale" }));
    }

    [Test]
    public async Task GetReportHistory_MixedReports_FiguresOfConclusiveOnlyOldestFirstPointInTimeLeftOut()
    {
        var store = _store.Reconciliation;
        const string covered = "{\"format\":3,\"circulatingSupplyUsd\":\"2000000.000001\",\"coverageBps\":12500}";
        const string under = "{\"format\":3,\"circulatingSupplyUsd\":\"3000000\",\"coverageBps\":9950}";
        // An inconclusive report of format 1 stored a partial sum and a coverage of 0: neither may become a figure.
        const string inconclusive = "{\"format\":1,\"circulatingSupplyUsd\":\"2000000\",\"coverageBps\":0}";
        await store.AppendReportAsync("scheduled", Start, Start.AddHours(-30), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Start, Start.AddHours(-2), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Start, Start.AddHours(-1), "inconclusive", "0", inconclusive, CancellationToken.None);
        await store.AppendReportAsync("point_in_time", Start, Start.AddMinutes(-30), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Start, Start.AddMinutes(-90), "undercollateralized", "15000", under, CancellationToken.None);

        var points = await store.GetReportHistoryAsync(Start.AddHours(-24), CancellationToken.None);

        Assert.That(points.Select(p => p.Id), Is.EqualTo(new long[] { 2, 5, 3 }), "within 24 h, by evaluation time; the point-in-time report speaks of another time");
        Assert.That(points[0], Is.EqualTo(new ReportHistoryPoint(2, Start.AddHours(-2), ReconciliationVerdict.Covered, UsdAmount.Parse("2000000.000001"), 12_500)));
        Assert.That(points[1], Is.EqualTo(new ReportHistoryPoint(5, Start.AddMinutes(-90), ReconciliationVerdict.Undercollateralized, UsdAmount.Parse("3000000"), 9_950)));
        Assert.That(points[2], Is.EqualTo(new ReportHistoryPoint(3, Start.AddHours(-1), ReconciliationVerdict.Inconclusive, null, null)));
    }

    [Test]
    public async Task AppendReport_Three_HashChainLinkedIdsInOrderAndConclusiveTracked()
    {
        var store = _store.Reconciliation;
        var first = await store.AppendReportAsync("scheduled", Start, Start, "covered", "0", "{\"n\":1}", CancellationToken.None);
        var second = await store.AppendReportAsync("scheduled", Start.AddHours(1), Start.AddHours(1), "inconclusive", "0", "{\"n\":2}", CancellationToken.None);
        var third = await store.AppendReportAsync("point_in_time", Start.AddHours(2), Start.AddDays(-3), "undercollateralized", "12.5", "{\"n\":3}", CancellationToken.None);

        Assert.That(new[] { first.Id, second.Id, third.Id }, Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(first.PreviousHash, Is.EqualTo(ReportChain.GenesisHash));
        Assert.That(second.PreviousHash, Is.EqualTo(first.Hash));
        Assert.That(third.Hash, Is.EqualTo(ReportChain.Hash(second.Hash, "{\"n\":3}")));

        var (chain, anchor) = await store.GetChainAsync(CancellationToken.None);
        Assert.That(chain, Is.EqualTo(new[] { first, second, third }), "stored reports read back field for field");
        Assert.That(anchor, Is.EqualTo(ReportChain.GenesisHash));
        Assert.That(await store.GetReportAsync(2, CancellationToken.None), Is.EqualTo(second));
        Assert.That(await store.ListReportsAsync(2, CancellationToken.None), Is.EqualTo(new[] { third, second }));
        Assert.That(await store.GetLatestConclusiveReportAsync(CancellationToken.None), Is.EqualTo(first), "a point-in-time report says nothing about now");
        Assert.That(await store.GetInconclusiveSinceAsync(CancellationToken.None), Is.EqualTo(Start.AddHours(1)));
        Assert.That(await store.GetChainHeadAsync(CancellationToken.None), Is.EqualTo(new ReportChainHead(3, 0, third.Hash)));
    }

    [Test]
    public async Task PruneReports_OldOnes_NewestKeptAnchorRecordedAndAppendsContinueTheChain()
    {
        var store = _store.Reconciliation;
        var reports = new List<StoredReport>();
        for (var i = 0; i < 4; i++)
        {
            reports.Add(await store.AppendReportAsync("scheduled", Start.AddDays(i), Start.AddDays(i), "covered", "0", $"{{\"n\":{i}}}", CancellationToken.None));
        }

        Assert.That(await store.PruneReportsAsync(Start.AddDays(10), CancellationToken.None), Is.EqualTo(3), "the newest report always stays");
        var (chain, anchor, pruned) = await store.GetChainForAuditAsync(CancellationToken.None);
        Assert.That(chain, Is.EqualTo(new[] { reports[3] }));
        Assert.That(anchor, Is.EqualTo(reports[2].Hash));
        Assert.That(pruned, Is.EqualTo(3));

        var next = await store.AppendReportAsync("scheduled", Start.AddDays(11), Start.AddDays(11), "covered", "0", "{\"n\":4}", CancellationToken.None);
        Assert.That(next.Id, Is.EqualTo(5));
        Assert.That(next.PreviousHash, Is.EqualTo(reports[3].Hash));
        Assert.That(await store.GetChainHeadAsync(CancellationToken.None), Is.EqualTo(new ReportChainHead(5, 3, next.Hash)), "pruned reports count towards the length");
        Assert.That(await store.PruneReportsAsync(Start.AddDays(-1), CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task AppendReport_ManyAtOnce_OneLinearChainWithoutForks()
    {
        var store = _store.Reconciliation;
        var appends = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => store.AppendReportAsync("scheduled", Start.AddMinutes(i), Start.AddMinutes(i), "covered", "0", $"{{\"n\":{i}}}", CancellationToken.None)))
            .ToList();
        await Task.WhenAll(appends);

        var (chain, anchor) = await store.GetChainAsync(CancellationToken.None);
        Assert.That(chain.Select(r => r.Id), Is.EqualTo(Enumerable.Range(1, 8).Select(i => (long)i)));
        var previous = anchor;
        foreach (var report in chain)
        {
            Assert.That(report.PreviousHash, Is.EqualTo(previous), $"report {report.Id} links to its predecessor: concurrent appends queue, they never fork the chain");
            Assert.That(report.Hash, Is.EqualTo(ReportChain.Hash(previous, report.Canonical)));
            previous = report.Hash;
        }
    }
}
