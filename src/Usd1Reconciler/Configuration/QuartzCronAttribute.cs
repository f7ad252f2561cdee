using Quartz;

namespace Usd1Reconciler.Configuration;

/// <summary>A Quartz cron expression (seconds first), parsed by Quartz itself so the check and the scheduler agree.</summary>
public sealed class QuartzCronAttribute : OptionRuleAttribute
{
    public override string? Problem(object value) =>
        value is string cron && !string.IsNullOrWhiteSpace(cron) && CronExpression.TryParse(cron, out _)
            ? null
            : "must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week)";
}
