namespace Usd1Reconciler.Configuration;

/// <summary>A <see cref="TimeSpan"/> option that must be longer than zero (an interval, a timeout, a freshness budget).</summary>
public sealed class PositiveDurationAttribute : OptionRuleAttribute
{
    public override string? Problem(object value) => value is TimeSpan duration && duration > TimeSpan.Zero ? null : "must be positive";
}
