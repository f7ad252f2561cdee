using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteReconciliationStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-rec-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private SqliteReconciliationStore Open() => new(SqliteSupplyStore.Open(DbPath, TimeProvider.System));

    private static async Task AppendAsync(SqliteReconciliationStore store, int n, DateTimeOffset at)
    {
        var canonical = $$"""{"format":1,"kind":"once","createdAt":"{{ReportCanonicalForm.Time(at)}}","evaluatedAt":"{{ReportCanonicalForm.Time(at)}}","verdict":"covered","shortfallUsd":"0","n":{{n}}}""";
        await store.AppendReportAsync("once", at, at, "covered", "0", canonical, CancellationToken.None);
    }

    [Test]
    public async Task AppendReport_ThreeReports_ChainLinksAndVerifies()
    {
        var store = Open();
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(store, i, At.AddMinutes(i));
        }

        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(reports[0].PreviousHash, Is.EqualTo(ReportChain.GenesisHash), "the first report links to genesis");
            Assert.That(reports[2].PreviousHash, Is.EqualTo(reports[1].Hash));
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty);
        });
    }

    [TestCase("UPDATE reconciliation_reports SET verdict = 'covered', canonical = replace(canonical, '\"n\":1', '\"n\":9') WHERE id = 2", "content hashes to")]
    [TestCase("UPDATE reconciliation_reports SET verdict = 'undercollateralized' WHERE id = 2", "column verdict")]
    [TestCase("DELETE FROM reconciliation_reports WHERE id = 2", "report 3: previous hash")]
    public async Task Verify_RowTamperedWithSql_ProblemNamesTheReport(string sql, string expected)
    {
        var store = Open();
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(store, i, At.AddMinutes(i));
        }

        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.ExecuteAsync(sql);
        }

        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);

        Assert.That(ReportChain.Verify(reports, anchor), Has.Some.Contains(expected), "any edit of a stored report must show up in verify");
    }

    [Test]
    public async Task PruneReports_OlderRemoved_ChainStillVerifiesFromAnchor()
    {
        var store = Open();
        for (var i = 0; i < 4; i++)
        {
            await AppendAsync(store, i, At.AddDays(i));
        }

        var deleted = await store.PruneReportsAsync(At.AddDays(2), CancellationToken.None);
        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(2));
            Assert.That(reports.Select(r => r.Id), Is.EqualTo(new long[] { 3, 4 }));
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty, "the anchor keeps the shortened chain verifiable");
        });
    }

    private static Task<StoredReport> AppendVerdictAsync(SqliteReconciliationStore store, string kind, string verdict, DateTimeOffset at)
    {
        var shortfall = verdict == "inconclusive" ? "" : "0";
        var figures = verdict == "inconclusive"
            ? "\"circulatingSupplyUsd\":null,\"reservesUsd\":null,\"shortfallUsd\":null,\"coverageBps\":null"
            : "\"circulatingSupplyUsd\":\"2\",\"reservesUsd\":\"2\",\"shortfallUsd\":\"0\",\"coverageBps\":10000";
        var canonical = $$"""{"format":{{(verdict == "inconclusive" ? 2 : 1)}},"kind":"{{kind}}","createdAt":"{{ReportCanonicalForm.Time(at)}}","evaluatedAt":"{{ReportCanonicalForm.Time(at)}}","verdict":"{{verdict}}",{{figures}}}""";
        return store.AppendReportAsync(kind, at, at, verdict, shortfall, canonical, CancellationToken.None);
    }

    [Test]
    public async Task GetLatestConclusiveReport_InconclusiveAndPointInTimeAfter_NewestConclusiveCurrentReport()
    {
        var store = Open();
        await AppendVerdictAsync(store, "scheduled", "covered", At);
        var undercollateralized = await AppendVerdictAsync(store, "scheduled", "undercollateralized", At.AddMinutes(1));
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At.AddMinutes(2));
        await AppendVerdictAsync(store, "point_in_time", "covered", At.AddMinutes(3));
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At.AddMinutes(4));

        var latest = await store.GetLatestConclusiveReportAsync(CancellationToken.None);

        Assert.That(latest?.Id, Is.EqualTo(undercollateralized.Id), "a point-in-time report judges a past as-of time and never clears a current shortfall");
    }

    [Test]
    public async Task GetInconclusiveSince_RunAfterConclusive_FirstReportOfTheRun()
    {
        var store = Open();
        Assert.That(await store.GetInconclusiveSinceAsync(CancellationToken.None), Is.Null, "empty chain");
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At);
        Assert.That(await store.GetInconclusiveSinceAsync(CancellationToken.None), Is.EqualTo(At), "no conclusive report yet: the run starts at the first report");
        await AppendVerdictAsync(store, "scheduled", "undercollateralized", At.AddMinutes(1));
        Assert.That(await store.GetInconclusiveSinceAsync(CancellationToken.None), Is.Null, "the newest report is conclusive");
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At.AddMinutes(2));
        await AppendVerdictAsync(store, "point_in_time", "covered", At.AddMinutes(3));
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At.AddMinutes(4));

        Assert.That(await store.GetInconclusiveSinceAsync(CancellationToken.None), Is.EqualTo(At.AddMinutes(2)));
    }

    [Test]
    public async Task Verify_InconclusiveReportShortfallColumnSetToZero_ProblemNamesTheColumn()
    {
        var store = Open();
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At);
        var (intact, anchor) = await store.GetChainAsync(CancellationToken.None);
        Assert.That(ReportChain.Verify(intact, anchor), Is.Empty, "an absent figure is null in the content and an empty column");

        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.ExecuteAsync("UPDATE reconciliation_reports SET shortfall_usd = '0'");
        }

        var (edited, anchor2) = await store.GetChainAsync(CancellationToken.None);
        Assert.That(ReportChain.Verify(edited, anchor2), Has.Some.Contains("column shortfall_usd"));
    }

    [Test]
    public async Task Verify_StoreWrittenByPreviousVersionThenNewReports_ChainIntact()
    {
        var store = Open();
        // Exactly the rows the previous version appended (format 1, including an inconclusive report with a partial sum).
        var noon = new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
        await store.AppendReportAsync("scheduled", noon, noon, "covered", "0", ReportCanonicalFormTests.OldCovered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", noon.AddHours(1), noon.AddHours(1), "inconclusive", "0", ReportCanonicalFormTests.OldInconclusiveWithPartialSum, CancellationToken.None);
        await store.AppendReportAsync("scheduled", noon, noon, "undercollateralized", "0.5", ReportCanonicalFormTests.OldUndercollateralized, CancellationToken.None);
        await AppendVerdictAsync(store, "scheduled", "inconclusive", At);

        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(reports, Has.Count.EqualTo(4));
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty, "old rows keep verifying beside format-2 rows");
        });
    }

    [Test]
    public async Task GetChainHead_NewestReportDeleted_LengthShrinksAndHeadIsThePreviousReport()
    {
        var store = Open();
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(store, i, At.AddMinutes(i));
        }

        var before = await store.GetChainHeadAsync(CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.ExecuteAsync("DELETE FROM reconciliation_reports WHERE id = (SELECT MAX(id) FROM reconciliation_reports)");
        }

        var after = await store.GetChainHeadAsync(CancellationToken.None);
        var (reports, _) = await store.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(before.Length, Is.EqualTo(3));
            Assert.That(after.Length, Is.EqualTo(2), "the witness sees the cut that Verify cannot");
            Assert.That(after.HeadHash, Is.EqualTo(reports[^1].Hash));
            Assert.That(after.HeadHash, Is.Not.EqualTo(before.HeadHash));
        });
    }

    [Test]
    public async Task GetChainHead_AfterRetentionPrune_LengthAndHeadUnchanged()
    {
        var store = Open();
        for (var i = 0; i < 4; i++)
        {
            await AppendAsync(store, i, At.AddDays(i));
        }

        var before = await store.GetChainHeadAsync(CancellationToken.None);
        await store.PruneReportsAsync(At.AddDays(2), CancellationToken.None);
        var after = await store.GetChainHeadAsync(CancellationToken.None);
        var (reports, anchor, pruned) = await store.GetChainForAuditAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(after, Is.EqualTo(before with { PrunedCount = 2 }), "pruning is not a truncation: the length counts the pruned reports");
            Assert.That((reports.Count, pruned), Is.EqualTo((2, 2L)));
            Assert.That(ReportChain.CheckReaches(reports, anchor, pruned, before.HeadHash, before.Length), Is.Empty);
        });
    }

    [Test]
    public async Task GetChainHead_EmptyStore_LengthZeroNoHead()
    {
        var head = await Open().GetChainHeadAsync(CancellationToken.None);

        Assert.That(head, Is.EqualTo(new ReportChainHead(0, 0, null)));
    }

    [Test]
    public async Task RecordSnapshot_ThenLatest_RoundTripsExactAmountsAndProvenance()
    {
        var store = Open();
        var snapshot = new ReserveSnapshot(0, "feed", "Trust", At, [new ReserveAccount("a", AssetClass.ReverseRepo, "USD", UsdAmount.Parse("123456789.123456789"), "Bank", 1), new ReserveAccount("b", AssetClass.Other, "USD", UsdAmount.Parse("1"), "Bank 2", null)], "att", "ff", "sig", At);

        var id = await store.RecordSnapshotAsync(snapshot, CancellationToken.None);
        var loaded = await store.GetLatestSnapshotAsync("feed", CancellationToken.None);

        Assert.That(loaded, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Id, Is.EqualTo(id));
            Assert.That(loaded.Accounts, Is.EqualTo(snapshot.Accounts), "accounts come back in order, amounts exact");
            Assert.That((loaded.Signature, loaded.ContentSha256, loaded.Attestation), Is.EqualTo(("sig", "ff", "att")));
        });
    }
}
