namespace Usd1Reconciler.Core.Redemptions;

/// <summary>
/// Which days settle money: every day except the weekend days and the listed holidays, judged on the local date in the
/// calendar's time zone (a Friday 23:30 in New York is Saturday 04:30 UTC, and it is still Friday for the Fed).
/// A reserve account's <c>daysToLiquidity</c> counts business days: money asked for on day D is cash at the end of the
/// N-th business day after D, where D itself is first rolled forward to a business day (a request made on a Saturday
/// is only acted on on Monday). The account counts as liquid within L days when that settlement date is no later than
/// D + L calendar days. So with a Monday holiday a 1-business-day T-bill asked for on Friday settles on Tuesday: not
/// liquid within 2 days (Sunday); asked for on Tuesday it settles on Wednesday and is.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DayOfWeek> _weekend;

    public BusinessCalendar(TimeZoneInfo timeZone, IEnumerable<DayOfWeek> weekend, IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(weekend);
        ArgumentNullException.ThrowIfNull(holidays);
        TimeZone = timeZone;
        _weekend = [.. weekend];
        _holidays = [.. holidays];
        if (_weekend.Count == 7)
        {
            // Every day a weekend day would make the settlement search below run forever.
            throw new ArgumentException("a calendar needs at least one business day a week", nameof(weekend));
        }
    }

    /// <summary>Saturday and Sunday off, no holidays, in UTC: the default when nothing is configured.</summary>
    public static BusinessCalendar WeekendsOnly { get; } = new(TimeZoneInfo.Utc, [DayOfWeek.Saturday, DayOfWeek.Sunday], []);

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyCollection<DateOnly> Holidays => _holidays;

    public IReadOnlyCollection<DayOfWeek> Weekend => _weekend;

    public bool IsBusinessDay(DateOnly date) => !_weekend.Contains(date.DayOfWeek) && !_holidays.Contains(date);

    /// <summary>The local date of <paramref name="at"/> in the calendar's time zone.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    /// <summary>The date money asked for at <paramref name="at"/> is cash, <paramref name="businessDays"/> business days on.</summary>
    public DateOnly SettlementDate(DateTimeOffset at, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(businessDays);
        var date = LocalDate(at);
        if (businessDays == 0)
        {
            // Cash on hand is cash on any day.
            return date;
        }

        while (!IsBusinessDay(date))
        {
            date = date.AddDays(1);
        }

        for (var counted = 0; counted < businessDays;)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>True when an account that settles in <paramref name="businessDays"/> business days is cash within <paramref name="calendarDays"/> days of <paramref name="at"/>.</summary>
    public bool IsLiquidWithin(DateTimeOffset at, int businessDays, int calendarDays) =>
        SettlementDate(at, businessDays) <= LocalDate(at).AddDays(calendarDays);
}
