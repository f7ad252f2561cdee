using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteReconciliationStoreHistoryTests
{
    private static readonly DateTimeOffset Written = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-history-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task GetReportHistory_MixedReports_FiguresOfConclusiveOnlyOldestFirstPointInTimeLeftOut()
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System));
        var covered = ReportCanonicalFormTests.OldCovered;
        await store.AppendReportAsync("scheduled", Written, Written.AddHours(-30), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Written, Written.AddHours(-2), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Written, Written.AddHours(-1), "inconclusive", "0", ReportCanonicalFormTests.OldInconclusiveWithPartialSum, CancellationToken.None);
        await store.AppendReportAsync("point_in_time", Written, Written.AddMinutes(-30), "covered", "0", covered, CancellationToken.None);
        await store.AppendReportAsync("scheduled", Written, Written.AddMinutes(-90), "undercollateralized", "0.5", ReportCanonicalFormTests.OldUndercollateralized, CancellationToken.None);

        var points = await store.GetReportHistoryAsync(Written.AddHours(-24), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => p.Id), Is.EqualTo(new long[] { 2, 5, 3 }), "within 24 h, by evaluation time; the point-in-time report speaks of another time");
            Assert.That(points[0], Is.EqualTo(new ReportHistoryPoint(2, Written.AddHours(-2), ReconciliationVerdict.Covered, UsdAmount.Parse("2"), 12_500)));
            Assert.That(points[1].Verdict, Is.EqualTo(ReconciliationVerdict.Undercollateralized));
            Assert.That(points[2].CirculatingSupply, Is.Null, "the format-1 inconclusive report's partial sum (2000000) is never a figure");
            Assert.That(points[2].CoverageBps, Is.Null, "nor its coverage of 0");
        });
    }
}
