using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

/// <summary>Issue 14.5: one report per scheduled firing (migration 0008), whatever runs the firing again.</summary>
public sealed class SqliteReconciliationStoreReportsTests
{
    private static readonly DateTimeOffset Firing = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-sched-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private SqliteReconciliationStore Open() => new(SqliteSupplyStore.Open(DbPath, TimeProvider.System));

    private static string Canonical(string kind, DateTimeOffset createdAt) =>
        $$"""{"format":1,"kind":"{{kind}}","createdAt":"{{ReportCanonicalForm.Time(createdAt)}}","evaluatedAt":"{{ReportCanonicalForm.Time(createdAt)}}","verdict":"covered","shortfallUsd":"0"}""";

    private static Task<(StoredReport Report, bool Appended)> AppendAsync(SqliteReconciliationStore store, string kind, DateTimeOffset firing, DateTimeOffset createdAt) =>
        store.AppendScheduledReportAsync(kind, firing, createdAt, createdAt, "covered", "0", Canonical(kind, createdAt), CancellationToken.None);

    [Test]
    public async Task AppendScheduledReport_SameFiringTwice_SecondAppendsNothingAndReturnsTheFirst()
    {
        var store = Open();
        var (first, firstAppended) = await AppendAsync(store, "scheduled", Firing, Firing.AddSeconds(1));

        // The recovered run evaluates later (another createdAt, other bytes): still the same firing.
        var (second, secondAppended) = await AppendAsync(store, "scheduled", Firing, Firing.AddSeconds(25));
        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(firstAppended, Is.True);
            Assert.That(secondAppended, Is.False, "a firing already reported must not append a second report");
            Assert.That(second.Id, Is.EqualTo(first.Id));
            Assert.That(second.Hash, Is.EqualTo(first.Hash), "the stored report is returned, not the recovered run's");
            Assert.That(reports, Has.Count.EqualTo(1));
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty);
        });
    }

    [Test]
    public async Task AppendScheduledReport_EndOfDayAndScheduledAtOneInstant_BothStored()
    {
        // At midnight the every-minute schedule and the end-of-day schedule fire at the same instant: two firings.
        var store = Open();
        var (_, scheduled) = await AppendAsync(store, "scheduled", Firing, Firing);
        var (_, endOfDay) = await AppendAsync(store, "end_of_day", Firing, Firing);
        var (_, nextMinute) = await AppendAsync(store, "scheduled", Firing.AddMinutes(1), Firing.AddMinutes(1));

        Assert.Multiple(async () =>
        {
            Assert.That(new[] { scheduled, endOfDay, nextMinute }, Is.All.True);
            Assert.That((await store.GetChainAsync(CancellationToken.None)).Reports, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task AppendScheduledReport_TwoStoresRaceForOneFiring_ExactlyOneAppended()
    {
        // Two connections (as two processes would have) start the same firing at once; the write transaction decides.
        var a = Open();
        var b = Open();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => AppendAsync(i % 2 == 0 ? a : b, "scheduled", Firing, Firing.AddMilliseconds(i)))));
        var (reports, anchor) = await a.GetChainAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Appended), Is.EqualTo(1));
            Assert.That(results.Select(r => r.Report.Id).Distinct().Count(), Is.EqualTo(1), "every run sees the one stored report");
            Assert.That(reports, Has.Count.EqualTo(1));
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty);
        });
    }

    [Test]
    public async Task GetScheduledReport_UnkeyedReportsAndOtherFirings_OnlyTheFiringsReport()
    {
        var store = Open();
        await store.AppendReportAsync("once", Firing, Firing, "covered", "0", Canonical("once", Firing), CancellationToken.None);
        var (stored, _) = await AppendAsync(store, "scheduled", Firing, Firing.AddSeconds(2));

        Assert.Multiple(async () =>
        {
            Assert.That((await store.GetScheduledReportAsync("scheduled", Firing, CancellationToken.None))?.Id, Is.EqualTo(stored.Id));
            Assert.That(await store.GetScheduledReportAsync("scheduled", Firing.AddMinutes(1), CancellationToken.None), Is.Null);
            Assert.That(await store.GetScheduledReportAsync("once", Firing, CancellationToken.None), Is.Null, "a report made by hand has no firing");
        });
    }

    [Test]
    public async Task AppendReport_UnscheduledReportsAtOneInstant_AllStoredWithoutKey()
    {
        var store = Open();
        await store.AppendReportAsync("once", Firing, Firing, "covered", "0", Canonical("once", Firing), CancellationToken.None);
        await store.AppendReportAsync("once", Firing, Firing, "covered", "0", Canonical("once", Firing) + " ", CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        var keys = (await connection.QueryAsync<string?>("SELECT scheduled_for FROM reconciliation_reports")).ToList();

        Assert.That(keys, Has.Count.EqualTo(2).And.All.Null, "reports not made by a schedule carry no key and are never deduplicated");
    }
}
