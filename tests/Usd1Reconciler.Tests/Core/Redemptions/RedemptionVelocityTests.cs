using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Redemptions;

namespace Usd1Reconciler.Tests.Core.Redemptions;

[TestFixture]
public sealed class RedemptionVelocityTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 10, 12, 30, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, int> Decimals = new(StringComparer.Ordinal) { ["eth"] = 18, ["sol"] = 6 };

    private static RedemptionHour Hour(string network, int hoursAgo, long mintedTokens, long burnedTokens) =>
        new(network, RedemptionVelocity.HourOf(Now).AddHours(-hoursAgo), Units(network, mintedTokens), Units(network, burnedTokens));

    private static BigInteger Units(string network, long tokens) => tokens * BigInteger.Pow(10, Decimals[network]);

    [Test]
    public void Net_TwoNetworksDifferentDecimals_SummedInUsdExactly()
    {
        var hours = new[]
        {
            Hour("eth", 0, 0, 100),
            Hour("sol", 1, 10, 30),
            new RedemptionHour("sol", RedemptionVelocity.HourOf(Now), 0, 1), // one base unit: 0.000001 USD
        };

        Assert.Multiple(() =>
        {
            Assert.That(RedemptionVelocity.Net(hours, Decimals, Now, TimeSpan.FromHours(24), null).ToString(), Is.EqualTo("120.000001"));
            Assert.That(RedemptionVelocity.Net(hours, Decimals, Now, TimeSpan.FromHours(24), "sol").ToString(), Is.EqualTo("20.000001"));
        });
    }

    [Test]
    public void Net_HourAtWindowEdge_IncludedOneHourOlderExcluded()
    {
        var hours = new[] { Hour("eth", 24, 0, 7), Hour("eth", 25, 0, 1000) };

        Assert.That(RedemptionVelocity.Net(hours, Decimals, Now, TimeSpan.FromHours(24), null), Is.EqualTo(UsdAmount.Parse("7")),
            "a 24 h window covers the current hour and the 24 whole hours before it, not the 25th");
    }

    [Test]
    public void Net_MintsExceedBurns_Negative()
    {
        Assert.That(RedemptionVelocity.Net([Hour("eth", 2, 50, 20)], Decimals, Now, TimeSpan.FromHours(48), null).ToString(), Is.EqualTo("-30"));
    }

    [Test]
    public void Peak_BurstTenDaysAgo_FoundBySlidingWindowAboveCurrent()
    {
        var hours = new[] { Hour("eth", 240, 0, 60), Hour("eth", 230, 0, 40), Hour("eth", 150, 0, 90), Hour("eth", 1, 0, 5) };

        Assert.Multiple(() =>
        {
            Assert.That(RedemptionVelocity.Peak(hours, Decimals, Now, TimeSpan.FromHours(48)), Is.EqualTo(UsdAmount.Parse("100")),
                "the 60 and the 40 ten hours apart fall in one 48 h span; the 90 is alone");
            Assert.That(RedemptionVelocity.Peak([Hour("eth", 3, 80, 10)], Decimals, Now, TimeSpan.FromHours(48)), Is.EqualTo(UsdAmount.Zero), "net issuance is no peak");
        });
    }

    [Test]
    public void RunwayDays_LiquidOverRate_ExactTwoDecimalsRoundedDown()
    {
        // 1000 liquid, 300 redeemed in 48 h: 150 a day, 6.666… days.
        Assert.Multiple(() =>
        {
            Assert.That(RedemptionVelocity.RunwayDays(UsdAmount.Parse("1000"), UsdAmount.Parse("300"), TimeSpan.FromHours(48)), Is.EqualTo("6.66"));
            Assert.That(RedemptionVelocity.RunwayDays(UsdAmount.Parse("1000"), UsdAmount.Parse("2000"), TimeSpan.FromHours(48)), Is.EqualTo("1.00"));
        });
    }

    [Test]
    public void RunwayDays_NoNetRedemptions_NullNeverDivisionByZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RedemptionVelocity.RunwayDays(UsdAmount.Parse("1000"), UsdAmount.Zero, TimeSpan.FromHours(48)), Is.Null);
            Assert.That(RedemptionVelocity.RunwayDays(UsdAmount.Parse("1000"), UsdAmount.Parse("-5"), TimeSpan.FromHours(48)), Is.Null);
        });
    }

    [Test]
    public void ShareBps_NothingCirculates_Null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RedemptionVelocity.ShareBps(UsdAmount.Parse("5"), UsdAmount.Zero), Is.Null);
            Assert.That(RedemptionVelocity.ShareBps(UsdAmount.Parse("25"), UsdAmount.Parse("100")), Is.EqualTo(2_500));
        });
    }
}
