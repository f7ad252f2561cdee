using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Redemptions;
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
    ILogger logger,
    IRedemptionHistory? redemptionHistory = null,
    IGovernanceStore? governance = null)
{
    /// <summary>Report kinds, recorded in each report.</summary>
    public const string Once = "once";
    public const string Scheduled = "scheduled";
    public const string EndOfDay = "end_of_day";
    public const string PointInTime = "point_in_time";

    /// <param name="asOf">Point-in-time mode: judge supply and the snapshots in force at this time instead of now.</param>
    public async Task<(ReconciliationReport Report, StoredReport Stored)> RunAsync(string kind, CancellationToken cancellationToken, DateTimeOffset? asOf = null)
    {
        var now = ReportTime(time.GetUtcNow());
        var (report, canonical, lastConclusive) = await EvaluateAsync(kind, now, asOf, cancellationToken);
        var stored = await reports.AppendReportAsync(
            kind, now, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict), report.Shortfall?.ToString() ?? string.Empty, canonical, cancellationToken);
        LogStored(report, stored, lastConclusive);
        return (report, stored);
    }

    /// <summary>
    /// The reconciliation of one scheduled firing (issue 14.5): keyed by the time its trigger was scheduled for, so a
    /// firing whose report is already stored — Quartz recovering the job after its instance died mid-run, a late
    /// misfire, a standby taking over — appends nothing and returns null. Checked before the evaluation (no work for a
    /// firing already done) and again inside the append's write transaction (two runs racing for one firing).
    /// </summary>
    public async Task<(ReconciliationReport Report, StoredReport Stored)?> RunScheduledAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        if (await reports.GetScheduledReportAsync(kind, scheduledFor, cancellationToken) is { } done)
        {
            LogAlreadyStored(kind, scheduledFor, done);
            return null;
        }

        var now = ReportTime(time.GetUtcNow());
        var (report, canonical, lastConclusive) = await EvaluateAsync(kind, now, asOf: null, cancellationToken);
        var (stored, appended) = await reports.AppendScheduledReportAsync(
            kind, scheduledFor, now, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict), report.Shortfall?.ToString() ?? string.Empty, canonical, cancellationToken);
        if (!appended)
        {
            LogAlreadyStored(kind, scheduledFor, stored);
            return null;
        }

        LogStored(report, stored, lastConclusive);
        return (report, stored);
    }

    /// <summary>
    /// Records a scheduled firing that never ran — the scheduler noticed it too late (a misfire: the store was down,
    /// the instances were paused or taking over) and skips it — as an Inconclusive report keyed by that firing, so the
    /// audit trail shows the gap instead of hiding it. It carries no figure: nothing was judged at that time. It is not
    /// evaluated now either (a report about a past firing must not hold today's figures); its one failing input names
    /// the firing and why. Appends nothing when the firing already has a report (it ran after all, or another instance
    /// recorded the miss). Returns whether it appended.
    /// </summary>
    public async Task<bool> RecordMissedAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        if (await reports.GetScheduledReportAsync(kind, scheduledFor, cancellationToken) is not null)
        {
            return false;
        }

        var now = ReportTime(time.GetUtcNow());
        var provenance = await ReconciliationProvenance.ReadAsync(reports, cancellationToken);
        var r = config.Options.Reconciliation;
        var policy = new ReconciliationPolicy(r.MinimumCoverageBps, r.LiquidityDays, r.LiquidityShareBps, r.MaxConcentrationBps, r.BusinessCalendar.ToCalendar());
        var missed = MissedInput(scheduledFor, now);
        var report = new ReconciliationReport(
            kind, now, ReconciliationVerdict.Inconclusive, null, null, null, null, [missed], [], [], [], policy,
            provenance.LastConclusive, provenance.InconclusiveSince ?? now);
        var canonical = ReportCanonicalForm.Write(report, now);
        var (stored, appended) = await reports.AppendScheduledReportAsync(
            kind, scheduledFor, now, now, ReportCanonicalForm.VerdictText(report.Verdict), string.Empty, canonical, cancellationToken);
        if (appended)
        {
            logger.LogWarning("report {Id} ({Kind}): {Missed}", stored.Id, kind, missed);
        }

        return appended;
    }

    /// <summary>The failing input of a missed firing's report.</summary>
    internal static string MissedInput(DateTimeOffset scheduledFor, DateTimeOffset recordedAt) =>
        $"schedule: the firing at {ReportCanonicalForm.Time(scheduledFor)} was missed (noticed at {ReportCanonicalForm.Time(recordedAt)}, past its misfire threshold); no reconciliation ran for it";

    /// <summary>
    /// A report's times in whole microseconds, the finest a PostgreSQL timestamptz keeps: the columns beside the hashed
    /// bytes must read back equal to the times inside them, or `report verify` finds every report "edited".
    /// </summary>
    private static DateTimeOffset ReportTime(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private void LogAlreadyStored(string kind, DateTimeOffset scheduledFor, StoredReport stored) =>
        logger.LogInformation(
            "{Kind} reconciliation scheduled for {ScheduledFor:O}: report {Id} already stores it (created {CreatedAt:O}); nothing appended",
            kind, scheduledFor, stored.Id, stored.CreatedAt);

    private async Task<(ReconciliationReport Report, string Canonical, ConclusiveResult? LastConclusive)> EvaluateAsync(
        string kind, DateTimeOffset now, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
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
        var policy = new ReconciliationPolicy(r.MinimumCoverageBps, r.LiquidityDays, r.LiquidityShareBps, r.MaxConcentrationBps, r.BusinessCalendar.ToCalendar());
        // Redemption velocity from the hourly aggregates (never an event rescan); a point-in-time report judges the
        // past as of its own time, from the same aggregates.
        RedemptionInput? redemptions = null;
        if (redemptionHistory is not null)
        {
            var windows = r.Redemptions.WindowsOrDefault();
            var reach = new[] { r.Redemptions.PeakLookback, r.Redemptions.RunwayWindow }.Concat(windows).Max();
            var hours = await redemptionHistory.GetRedemptionHoursAsync(RedemptionVelocity.WindowStart(evaluatedAt, reach), cancellationToken);
            redemptions = new RedemptionInput(
                hours.Where(h => h.HourStart <= evaluatedAt).ToList(),
                windows,
                r.Redemptions.RunwayWindow,
                r.Redemptions.SurgeShareOfSupplyBps,
                r.Redemptions.SurgeShareOfLiquidBps,
                r.Redemptions.StressFromObservation);
        }

        // Provenance: if this report turns out Inconclusive it carries the newest conclusive result and the time the
        // run of Inconclusive reports began, both from the chain, so a restart changes neither. A point-in-time report
        // judges a past as-of time: the current run says nothing about it, so it carries neither.
        ConclusiveResult? lastConclusive = null;
        DateTimeOffset? inconclusiveSince = null;
        if (asOf is null)
        {
            var provenance = await ReconciliationProvenance.ReadAsync(reports, cancellationToken);
            lastConclusive = provenance.LastConclusive;
            inconclusiveSince = provenance.InconclusiveSince ?? now;
        }

        var report = Reconciler.Evaluate(new ReconciliationInput(kind, evaluatedAt, networks, feeds, policy, lastConclusive, inconclusiveSince, redemptions));
        if (governance is not null && asOf is null)
        {
            // The governance each network stood on (issue 15, report format 4). A point-in-time report judges the past
            // and the store keeps only the latest proof, so it records none rather than today's.
            var seen = new List<GovernanceSeen>();
            foreach (var n in config.Options.Networks)
            {
                var reading = await governance.GetGovernanceProofAsync(n.Name, cancellationToken);
                var finalBlock = networks.FirstOrDefault(c => c.Network == n.Name)?.Block ?? -1;
                seen.Add(new GovernanceSeen(n.Name, GovernanceProof.Evaluate(reading, finalBlock, now, n.StaleAfter), reading?.BlockNumber, reading?.StateHash));
            }

            report = report with { Governance = seen };
        }

        return (report, ReportCanonicalForm.Write(report, now), lastConclusive);
    }

    private void LogStored(ReconciliationReport report, StoredReport stored, ConclusiveResult? lastConclusive)
    {
        var kind = stored.Kind;
        if (report.Verdict == ReconciliationVerdict.Covered)
        {
            logger.LogInformation("report {Id} ({Kind}): covered, coverage {Bps} bps", stored.Id, kind, report.CoverageBps);
        }
        else if (report.Verdict == ReconciliationVerdict.Undercollateralized)
        {
            logger.LogWarning(
                "report {Id} ({Kind}): undercollateralized, shortfall {Shortfall} USD; {Failing}",
                stored.Id, kind, report.Shortfall, string.Join("; ", report.Rules.Where(x => !x.Passed).Select(x => x.Detail)));
        }
        else
        {
            logger.LogWarning(
                "report {Id} ({Kind}): inconclusive since {Since:O}, no figures; last conclusive: {LastConclusive}; {Failing}",
                stored.Id,
                kind,
                report.InconclusiveSince,
                lastConclusive is null ? "none" : $"report {lastConclusive.ReportId} {ReportCanonicalForm.VerdictText(lastConclusive.Verdict)}, shortfall {lastConclusive.Shortfall} USD at {ReportCanonicalForm.Time(lastConclusive.EvaluatedAt)}",
                string.Join("; ", report.FailingInputs));
        }
    }
}
