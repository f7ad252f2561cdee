using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>Reconciliation rules and schedules. Cron expressions are Quartz's (seconds first) and run in UTC.</summary>
public sealed class ReconciliationOptions
{
    /// <summary><value>Default <c>0 * * ? * *</c> (every minute).</value> When <c>run</c> reconciles.</summary>
    [QuartzCron]
    public string Schedule { get; set; } = "0 * * ? * *";

    /// <summary><value>Default <c>0 0 0 ? * *</c> (midnight UTC).</value> When <c>run</c> makes the end-of-day report.</summary>
    [QuartzCron]
    public string EndOfDay { get; set; } = "0 0 0 ? * *";

    /// <summary><value>Default 10000 (100 %).</value> Reserves must be at least this share of circulating supply, in bps.</summary>
    [Range(0, 1_000_000)]
    public long MinimumCoverageBps { get; set; } = 10_000;

    /// <summary><value>Default 2.</value> Accounts liquid within this many days count towards the liquidity rule.</summary>
    [Range(0, int.MaxValue)]
    public int LiquidityDays { get; set; } = 2;

    /// <summary><value>Default 2000 (20 %).</value> Liquid reserves must be at least this share of circulating supply, in bps.</summary>
    [Range(0, 1_000_000)]
    public long LiquidityShareBps { get; set; } = 2_000;

    /// <summary><value>Default 10000 (no limit).</value> No custodian or bank may hold more than this share of reserves, in bps.</summary>
    [Range(1, 10_000)]
    public long MaxConcentrationBps { get; set; } = 10_000;

    /// <summary><value>Default <c>0 30 3 ? * *</c>.</value> When <c>run</c> prunes old rejections and reports.</summary>
    [QuartzCron]
    public string RetentionSchedule { get; set; } = "0 30 3 ? * *";

    /// <summary><value>Default 90 days.</value> Feed rejections older than this are deleted by the retention job.</summary>
    [PositiveDuration]
    public TimeSpan RetainRejections { get; set; } = TimeSpan.FromDays(90);

    /// <summary><value>Default: keep forever.</value> Reports older than this are deleted (the chain keeps an anchor hash, so `report verify` still holds).</summary>
    [PositiveDuration]
    public TimeSpan? RetainReports { get; set; }

    /// <summary>Redemption velocity, runway and surge thresholds (issue 17).</summary>
    public RedemptionOptions Redemptions { get; set; } = new();

    /// <summary>The business-day calendar daysToLiquidity is counted in (issue 17).</summary>
    public HolidayCalendarOptions BusinessCalendar { get; set; } = new();
}
