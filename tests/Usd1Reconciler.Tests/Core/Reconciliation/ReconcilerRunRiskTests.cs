using System.Numerics;
using System.Text.Json.Nodes;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Redemptions;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Core.Reconciliation;

[TestFixture]
public sealed class ReconcilerRunRiskTests
{
    // Friday 4 September 2026, before Labor Day (Monday 7 September).
    private static readonly DateTimeOffset Friday = new(2026, 9, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday = new(2026, 9, 8, 12, 0, 0, TimeSpan.Zero);
    private static readonly BusinessCalendar Fed = new(TimeZoneInfo.Utc, [DayOfWeek.Saturday, DayOfWeek.Sunday], [new DateOnly(2026, 9, 7)]);
    private static readonly ReconciliationPolicy Policy = new(10_000, 2, 2_000, 10_000, Fed);

    private static BigInteger Tokens(long tokens) => tokens * BigInteger.Pow(10, 6);

    private static NetworkCirculation Eth(long tokens) => new("eth", NetworkKind.Evm, 100, 6, new TokenAmount(Tokens(tokens)), LedgerProofStatus.Ok, [], null, null);

    private static FeedInput Feed(DateTimeOffset at, params ReserveAccount[] accounts) =>
        new("custodian", new ReserveSnapshot(7, "custodian", "Trust Co", at, accounts, "att-1", "ab", null, at), TimeSpan.FromHours(1), null);

    private static ReserveAccount Cash(string amount) => new("cash", AssetClass.Cash, "USD", UsdAmount.Parse(amount), "Bank A", 0);

    private static ReserveAccount Tbills(string amount) => new("tbills", AssetClass.TreasuryBills, "USD", UsdAmount.Parse(amount), "Bank B", 1);

    private static RedemptionHour Burned(DateTimeOffset at, int hoursAgo, long tokens) =>
        new("eth", RedemptionVelocity.HourOf(at).AddHours(-hoursAgo), 0, Tokens(tokens));

    private static RedemptionInput Redemptions(IReadOnlyList<RedemptionHour> hours, bool stressFromObservation = false) =>
        new(hours, [TimeSpan.FromHours(24), TimeSpan.FromHours(48), TimeSpan.FromDays(7)], TimeSpan.FromHours(48), 1_000, 5_000, stressFromObservation);

    private static ReconciliationReport Evaluate(DateTimeOffset at, IReadOnlyList<ReserveAccount> accounts, RedemptionInput? redemptions, ReconciliationPolicy? policy = null) =>
        Reconciler.Evaluate(new ReconciliationInput("once", at, [Eth(1_000)], [Feed(at, [.. accounts])], policy ?? Policy, Redemptions: redemptions));

    /// <summary>Tuesday: 1000 circulating, 900 cash, 200 burned an hour ago and 100 thirty hours ago (runway 6 days, surge).</summary>
    internal static ReconciliationReport BurstReport() =>
        Evaluate(Tuesday, [Cash("900")], Redemptions([Burned(Tuesday, 1, 200), Burned(Tuesday, 30, 100)]));

    internal static DateTimeOffset BurstTime => Tuesday;

    [Test]
    public void Evaluate_FridayBeforeMondayHoliday_OneDayTbillsNotLiquid()
    {
        var report = Evaluate(Friday, [Cash("100"), Tbills("1000")], Redemptions([]));

        Assert.Multiple(() =>
        {
            Assert.That(report.RunRisk!.LiquidUsd, Is.EqualTo(UsdAmount.Parse("100")), "T+1 from Friday is Tuesday: beyond two days");
            Assert.That(report.Rules.Single(r => r.Rule == "liquidity").Passed, Is.False, "100 liquid is below 20 % of 1000");
        });
    }

    [Test]
    public void Evaluate_TuesdayAfterHoliday_OneDayTbillsLiquid()
    {
        var report = Evaluate(Tuesday, [Cash("100"), Tbills("1000")], Redemptions([]));

        Assert.Multiple(() =>
        {
            Assert.That(report.RunRisk!.LiquidUsd, Is.EqualTo(UsdAmount.Parse("1100")));
            Assert.That(report.Rules.Single(r => r.Rule == "liquidity").Passed, Is.True);
        });
    }

    [Test]
    public void Evaluate_NoCalendar_CalendarDaysAsBefore()
    {
        var report = Evaluate(Friday, [Cash("100"), Tbills("1000")], null, Policy with { Calendar = null });

        Assert.That(report.Rules.Single(r => r.Rule == "liquidity").Passed, Is.True, "without a calendar 1 day <= 2 days, as reports before issue 17 judged it");
    }

    [Test]
    public void Evaluate_BurstOfBurns_RunwayEqualsHandComputationAndSurge()
    {
        // 300 burned within 48 h (and 50 more three days ago, in the 7 d window only); 1000 circulating; 900 cash liquid.
        var report = Evaluate(Tuesday, [Cash("900")], Redemptions([Burned(Tuesday, 1, 200), Burned(Tuesday, 30, 100), Burned(Tuesday, 72, 50)]));
        var risk = report.RunRisk!;

        Assert.Multiple(() =>
        {
            Assert.That(risk.RunwayNetUsd, Is.EqualTo(UsdAmount.Parse("300")));
            Assert.That(risk.RunwayDays, Is.EqualTo("6.00"), "900 ÷ (300 ÷ 2 days) = 6 days");
            Assert.That(risk.Windows.Single(w => w.Network == NetRedemption.Total && w.Window == TimeSpan.FromHours(24)).NetUsd, Is.EqualTo(UsdAmount.Parse("200")));
            Assert.That(risk.Windows.Single(w => w.Network == NetRedemption.Total && w.Window == TimeSpan.FromDays(7)).NetUsd, Is.EqualTo(UsdAmount.Parse("350")));
            Assert.That(risk.Windows.Single(w => w.Network == "eth" && w.Window == TimeSpan.FromHours(48)).ShareBps, Is.EqualTo(3_000), "300 of 1000 circulating");
            Assert.That(risk.ShareOfLiquidBps, Is.EqualTo(3_333));
            Assert.That(risk.Surge, Is.True, "30 % of supply in 48 h is above the 10 % threshold");
        });
    }

    [Test]
    public void Evaluate_NoRedemptions_RunwayUnboundedNoSurge()
    {
        var report = Evaluate(Tuesday, [Cash("900")], Redemptions([new RedemptionHour("eth", RedemptionVelocity.HourOf(Tuesday), Tokens(5), Tokens(5))]));

        Assert.Multiple(() =>
        {
            Assert.That(report.RunRisk!.RunwayDays, Is.Null, "no net redemptions: unbounded, not a division by zero");
            Assert.That(report.RunRisk.Surge, Is.False);
        });
    }

    [Test]
    public void Evaluate_StressFromObservation_PeakAboveConfiguredShareRequired()
    {
        // Configured stress: 20 % of 1000 = 200. Observed: 400 redeemed within one 48 h span ten days ago.
        var hours = new[] { Burned(Tuesday, 240, 250), Burned(Tuesday, 220, 150) };
        var configured = Evaluate(Tuesday, [Cash("300")], Redemptions(hours));
        var observed = Evaluate(Tuesday, [Cash("300")], Redemptions(hours, stressFromObservation: true));
        var rule = observed.Rules.Single(r => r.Rule == "liquidity");

        Assert.Multiple(() =>
        {
            Assert.That(configured.Rules.Single(r => r.Rule == "liquidity").Passed, Is.True, "300 liquid meets the configured 200");
            Assert.That(observed.RunRisk!.PeakNetUsd, Is.EqualTo(UsdAmount.Parse("400")));
            Assert.That(rule.Passed, Is.False, "the chain has shown a 400 run: 300 liquid is short");
            Assert.That(rule.Shortfall, Is.EqualTo(UsdAmount.Parse("100")));
        });
    }

    [Test]
    public void Write_ReportWithRunRisk_FormatOneBytesPlusTrailingRunRisk()
    {
        var createdAt = Tuesday.AddSeconds(1);
        var with = Evaluate(Tuesday, [Cash("900")], Redemptions([Burned(Tuesday, 1, 200)]));
        var withoutRunRisk = with with { RunRisk = null };

        var canonical = ReportCanonicalForm.Write(with, createdAt);
        var legacy = ReportCanonicalForm.Write(withoutRunRisk, createdAt);
        var node = JsonNode.Parse(canonical)!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(legacy, Does.StartWith("{\"format\":1,"), "a report without run risk keeps format 1");
            Assert.That(node["format"]!.GetValue<int>(), Is.EqualTo(ReportCanonicalForm.RunRiskFormat));
            Assert.That(node["runRisk"]!["runwayDays"]!.GetValue<string>(), Is.EqualTo("9.00"));
            Assert.That(node["runRisk"]!["businessCalendar"]!["holidays"]!.AsArray().Select(h => h!.GetValue<string>()), Is.EqualTo(new[] { "2026-09-07" }));
        });
        node.Remove("runRisk");
        node["format"] = 1;
        Assert.That(node.ToJsonString(), Is.EqualTo(legacy), "format 3 is format 1 byte for byte plus the trailing runRisk object");
    }
}
