using System.Globalization;

namespace Usd1Reconciler.Configuration;

/// <summary>A <see cref="TimeSpan"/> option with bounds, both inclusive: <c>[DurationRange("00:01:00")]</c>.</summary>
/// <param name="minimum">The shortest allowed duration, invariant <c>[d.]hh:mm:ss</c>.</param>
public sealed class DurationRangeAttribute(string minimum) : OptionRuleAttribute
{
    public string Minimum { get; } = minimum;

    /// <summary>The longest allowed duration; <value>Default: no upper bound.</value></summary>
    public string? Maximum { get; init; }

    /// <summary>Why the bound exists, appended to the message.</summary>
    public string? Reason { get; init; }

    public override string? Problem(object value)
    {
        var minimum = TimeSpan.Parse(Minimum, CultureInfo.InvariantCulture);
        TimeSpan? maximum = Maximum is null ? null : TimeSpan.Parse(Maximum, CultureInfo.InvariantCulture);
        if (value is TimeSpan duration && duration >= minimum && (maximum is null || duration <= maximum))
        {
            return null;
        }

        var bound = (minimum, maximum) switch
        {
            (_, { } max) => $"must be between {minimum:c} and {max:c}",
            _ when minimum == TimeSpan.Zero => "must not be negative",
            _ => $"must be at least {minimum:c}",
        };
        return Reason is null ? bound : $"{bound}, {Reason}";
    }
}
