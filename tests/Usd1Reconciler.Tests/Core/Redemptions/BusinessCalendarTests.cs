using Usd1Reconciler.Core.Redemptions;

namespace Usd1Reconciler.Tests.Core.Redemptions;

[TestFixture]
public sealed class BusinessCalendarTests
{
    // Labor Day 2026 is Monday 7 September: Friday 4 September starts a long weekend.
    private static readonly DateOnly LaborDay = new(2026, 9, 7);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static BusinessCalendar Fed(TimeZoneInfo zone) => new(zone, [DayOfWeek.Saturday, DayOfWeek.Sunday], [LaborDay]);

    [Test]
    public void IsLiquidWithin_FridayBeforeMondayHoliday_OneDayTbillNotLiquidWithinTwoDays()
    {
        var friday = new DateTimeOffset(2026, 9, 4, 15, 0, 0, TimeSpan.Zero);
        var calendar = Fed(TimeZoneInfo.Utc);

        Assert.Multiple(() =>
        {
            Assert.That(calendar.SettlementDate(friday, 1), Is.EqualTo(new DateOnly(2026, 9, 8)), "T+1 from Friday skips the weekend and the holiday: Tuesday");
            Assert.That(calendar.IsLiquidWithin(friday, 1, 2), Is.False, "Tuesday is four calendar days after Friday, beyond two");
            Assert.That(calendar.IsLiquidWithin(friday, 0, 2), Is.True, "cash is cash on any day");
        });
    }

    [Test]
    public void IsLiquidWithin_TuesdayAfterHoliday_OneDayTbillLiquidWithinTwoDays()
    {
        var tuesday = new DateTimeOffset(2026, 9, 8, 15, 0, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(Fed(TimeZoneInfo.Utc).SettlementDate(tuesday, 1), Is.EqualTo(new DateOnly(2026, 9, 9)));
            Assert.That(Fed(TimeZoneInfo.Utc).IsLiquidWithin(tuesday, 1, 2), Is.True, "Wednesday is within two days of Tuesday");
        });
    }

    [Test]
    public void IsLiquidWithin_FridayWithoutHoliday_OneDayTbillSettlesMondayBeyondTwoDays()
    {
        var friday = new DateTimeOffset(2026, 9, 11, 9, 0, 0, TimeSpan.Zero);
        var thursday = new DateTimeOffset(2026, 9, 10, 9, 0, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(BusinessCalendar.WeekendsOnly.SettlementDate(friday, 1), Is.EqualTo(new DateOnly(2026, 9, 14)), "weekends only by default: Monday");
            Assert.That(BusinessCalendar.WeekendsOnly.IsLiquidWithin(friday, 1, 2), Is.False, "Monday is three days after Friday");
            Assert.That(BusinessCalendar.WeekendsOnly.IsLiquidWithin(friday, 1, 3), Is.True, "and within three");
            Assert.That(BusinessCalendar.WeekendsOnly.IsLiquidWithin(thursday, 1, 2), Is.True, "Thursday's T+1 is Friday");
        });
    }

    [Test]
    public void SettlementDate_RequestOnSaturday_RolledToNextBusinessDayFirst()
    {
        var saturday = new DateTimeOffset(2026, 9, 12, 9, 0, 0, TimeSpan.Zero);

        Assert.That(BusinessCalendar.WeekendsOnly.SettlementDate(saturday, 1), Is.EqualTo(new DateOnly(2026, 9, 15)),
            "a Saturday request is acted on on Monday and settles T+1 on Tuesday");
    }

    [Test]
    public void IsLiquidWithin_ThursdayEveningInNewYork_LiquidInNewYorkButNotInUtc()
    {
        // 23:30 on Thursday 3 September in New York is 03:30 on Friday in UTC: the calendar's zone decides the day.
        var thursdayEveningNewYork = new DateTimeOffset(2026, 9, 4, 3, 30, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(Fed(NewYork).LocalDate(thursdayEveningNewYork), Is.EqualTo(new DateOnly(2026, 9, 3)));
            Assert.That(Fed(NewYork).IsLiquidWithin(thursdayEveningNewYork, 1, 2), Is.True, "Thursday's T+1 in New York is Friday, within two days");
            Assert.That(Fed(TimeZoneInfo.Utc).IsLiquidWithin(thursdayEveningNewYork, 1, 2), Is.False, "in UTC it is already Friday, whose T+1 is Tuesday");
        });
    }

    [Test]
    public void IsLiquidWithin_FridayEveningInNewYorkIsSaturdayUtc_NotLiquidInEither()
    {
        var fridayEveningNewYork = new DateTimeOffset(2026, 9, 5, 2, 0, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(Fed(NewYork).SettlementDate(fridayEveningNewYork, 1), Is.EqualTo(new DateOnly(2026, 9, 8)), "Friday in New York: Tuesday");
            Assert.That(Fed(TimeZoneInfo.Utc).SettlementDate(fridayEveningNewYork, 1), Is.EqualTo(new DateOnly(2026, 9, 9)), "Saturday in UTC rolls to Tuesday, then T+1: Wednesday");
            Assert.That(Fed(NewYork).IsLiquidWithin(fridayEveningNewYork, 1, 2), Is.False);
            Assert.That(Fed(TimeZoneInfo.Utc).IsLiquidWithin(fridayEveningNewYork, 1, 2), Is.False);
        });
    }

    [Test]
    public void Constructor_EveryDayWeekend_Refused()
    {
        Assert.That(() => new BusinessCalendar(TimeZoneInfo.Utc, Enum.GetValues<DayOfWeek>(), []), Throws.ArgumentException);
    }
}
