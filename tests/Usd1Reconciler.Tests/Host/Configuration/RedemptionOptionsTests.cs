using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

public sealed class RedemptionOptionsTests
{
    [Test]
    public void Validate_Defaults_NoProblemsAndDefaultWindows()
    {
        var options = new RedemptionOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Validate("Reconciliation:Redemptions"), Is.Empty);
            Assert.That(options.WindowsOrDefault(), Is.EqualTo(new[] { TimeSpan.FromHours(24), TimeSpan.FromHours(48), TimeSpan.FromDays(7) }));
        });
    }

    [Test]
    public void Validate_WindowNotWholeHoursAndNegativeShare_ProblemsNameTheKeys()
    {
        var options = new RedemptionOptions { Windows = [TimeSpan.FromMinutes(90)], SurgeShareOfSupplyBps = -1 };

        var problems = options.Validate("Reconciliation:Redemptions").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Some.StartsWith("Reconciliation:Redemptions:Windows").And.Contains("01:30:00"));
            Assert.That(problems, Has.Some.StartsWith("Reconciliation:Redemptions:SurgeShareOfSupplyBps"));
        });
    }

    [Test]
    public void Validate_CalendarBadZoneAndDate_ProblemsNameTheKeys()
    {
        var calendar = new HolidayCalendarOptions { TimeZone = "Mars/Olympus", Holidays = ["2026-09-07", "07/09/2026"] };

        var problems = calendar.Validate("Reconciliation:BusinessCalendar").ToList();

        Assert.That(problems, Is.EqualTo(new[]
        {
            "Reconciliation:BusinessCalendar:TimeZone: 'Mars/Olympus' is not a known time zone",
            "Reconciliation:BusinessCalendar:Holidays:1: '07/09/2026' is not a yyyy-MM-dd date",
        }));
    }

    [Test]
    public void ToCalendar_ConfiguredHolidayAndZone_UsedForBusinessDays()
    {
        var calendar = new HolidayCalendarOptions { TimeZone = "America/New_York", Holidays = ["2026-09-07"] }.ToCalendar();

        Assert.Multiple(() =>
        {
            Assert.That(calendar.IsBusinessDay(new DateOnly(2026, 9, 7)), Is.False);
            Assert.That(calendar.IsBusinessDay(new DateOnly(2026, 9, 5)), Is.False, "Saturday: weekends by default");
            Assert.That(calendar.IsBusinessDay(new DateOnly(2026, 9, 8)), Is.True);
            Assert.That(calendar.TimeZone.Id, Is.EqualTo("America/New_York"));
        });
    }
}
