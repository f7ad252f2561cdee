using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// One reconciliation: gathers circulating supply and the snapshots in force, applies the rules, and appends the
/// report (with every input) to the hash chain. Used by `reconcile --once` and by the scheduled jobs of `run`.
/// </summary>
internal sealed class ReconciliationRunner(
    LoadedConfiguration config,
    CirculatingSupplyReader supply,
    IReserveStore reserves,
    IReportStore reports,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Report kinds, recorded in each report.</summary>
    public const string Once = "once";
    public const string Scheduled = "scheduled";
    public const string EndOfDay = "end_of_day";
    public const string PointInTime = "point_in_time";

    /// <param name="asOf">Point-in-time mode: judge supply and the snapshots in force at this time instead of now.</param>
    public async Task<(ReconciliationReport Report, StoredReport Stored)> RunAsync(string kind, CancellationToken cancellationToken, DateTimeOffset? asOf = null)
    {
        var now = time.GetUtcNow();
        var evaluatedAt = asOf ?? now;
        var networks = asOf is { } at ? await supply.ReadAtAsync(at, cancellationToken) : await supply.ReadAsync(now, cancellationToken);
        var feeds = new List<FeedInput>();
        foreach (var f in config.Options.Reserves.Feeds)
        {
            var snapshot = asOf is { } pointInTime
                ? await reserves.GetSnapshotAtAsync(f.Name, pointInTime, cancellationToken)
                : await reserves.GetLatestSnapshotAsync(f.Name, cancellationToken);
            var rejections = await reserves.GetRejectionsAsync(f.Name, 1, cancellationToken);
            var rejection = rejections.Count > 0 ? rejections[0] : null;
            // A rejection older than the snapshot in force is history, not news about this feed.
            var latestRejection = rejection is not null && (snapshot is null || rejection.ReceivedAt > snapshot.ReceivedAt) ? rejection.Reason : null;
            feeds.Add(new FeedInput(f.Name, snapshot, f.StaleAfter, latestRejection));
        }

        var r = config.Options.Reconciliation;
        var policy = new ReconciliationPolicy(r.MinimumCoverageBps, r.LiquidityDays, r.LiquidityShareBps, r.MaxConcentrationBps);
        var report = Reconciler.Evaluate(new ReconciliationInput(kind, evaluatedAt, networks, feeds, policy));
        var canonical = ReportCanonicalForm.Write(report, now);
        var stored = await reports.AppendReportAsync(
            kind, now, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict), report.Shortfall.ToString(), canonical, cancellationToken);
        if (report.Verdict == ReconciliationVerdict.Covered)
        {
            logger.LogInformation("report {Id} ({Kind}): covered, coverage {Bps} bps", stored.Id, kind, report.CoverageBps);
        }
        else
        {
            logger.LogWarning(
                "report {Id} ({Kind}): {Verdict}, shortfall {Shortfall} USD; {Failing}",
                stored.Id, kind, stored.Verdict, report.Shortfall, string.Join("; ", report.FailingInputs.Concat(report.Rules.Where(x => !x.Passed).Select(x => x.Detail))));
        }

        return (report, stored);
    }
}
