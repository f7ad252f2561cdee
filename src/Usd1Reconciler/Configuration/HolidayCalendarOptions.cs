using System.Globalization;
using Usd1Reconciler.Core.Redemptions;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// The business-day calendar reserve accounts' <c>daysToLiquidity</c> is counted in (issue 17), under
/// <c>Reconciliation:BusinessCalendar</c>. Weekends only, in UTC, unless configured. Validated by <see cref="Validate"/>.
/// </summary>
public sealed class HolidayCalendarOptions
{
    /// <summary><value>Default <c>UTC</c>.</value> IANA time zone whose local date decides the business day (e.g. <c>America/New_York</c>).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary><value>Default Saturday, Sunday.</value> Days of the week that are not business days.</summary>
    public List<DayOfWeek>? Weekend { get; set; }

    /// <summary><value>Default none.</value> Holidays as <c>yyyy-MM-dd</c> dates (e.g. the Federal Reserve's).</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>Problems, each naming its key.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"{prefix}:TimeZone: '{TimeZone}' is not a known time zone";
        }

        if (Weekend is { Count: 7 } || (Weekend is not null && Weekend.Distinct().Count() == 7))
        {
            yield return $"{prefix}:Weekend: leaves no business day in the week";
        }

        for (var i = 0; i < Holidays.Count; i++)
        {
            if (!DateOnly.TryParseExact(Holidays[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                yield return $"{prefix}:Holidays:{i}: '{Holidays[i]}' is not a yyyy-MM-dd date";
            }
        }
    }

    /// <summary>The calendar; call after <see cref="Validate"/> found nothing.</summary>
    public BusinessCalendar ToCalendar() => new(
        TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
        Weekend is { Count: > 0 } weekend ? weekend : [DayOfWeek.Saturday, DayOfWeek.Sunday],
        Holidays.Select(h => DateOnly.ParseExact(h, "yyyy-MM-dd", CultureInfo.InvariantCulture)));
}
