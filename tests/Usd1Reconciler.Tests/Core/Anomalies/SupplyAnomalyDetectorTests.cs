using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Core.Anomalies;

public sealed class SupplyAnomalyDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private const string Minter = "0xminter";

    private static SupplyEvent Mint(long amount, string? actor = Minter, int minutes = 0, string tx = "0xt", bool timed = true) =>
        new(SupplyEventKind.Mint, 100 + minutes, "0xh", tx + minutes, 0, SupplyEvent.TopLevel, actor, "0xholder", new TokenAmount(amount), timed ? T0.AddMinutes(minutes) : null);

    private static SupplyEvent Burn(long amount, int minutes = 0) =>
        new(SupplyEventKind.Burn, 100 + minutes, "0xh", "0xb" + minutes, 0, SupplyEvent.TopLevel, "0xburner", "0xholder", new TokenAmount(amount), T0.AddMinutes(minutes));

    private static AnomalyPolicy Policy(long? maxMint = null, long? maxBurn = null, long? maxNet = null, string[]? allowed = null,
        Dictionary<string, TokenAmount>? quotas = null, NetworkStatus status = NetworkStatus.Active) =>
        new(maxMint is { } m ? new TokenAmount(m) : null, maxBurn is { } b ? new TokenAmount(b) : null, maxNet is { } n ? new TokenAmount(n) : null,
            TimeSpan.FromHours(1), allowed?.ToHashSet(StringComparer.OrdinalIgnoreCase), quotas ?? [], 5, status);

    [Test]
    public void Screen_MintExactlyAtLimit_NoAnomaly() =>
        Assert.That(SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 1_000), [Mint(1_000)], []), Is.Empty);

    [Test]
    public void Screen_MintOneBaseUnitAboveLimit_OversizedMintWithEvidence()
    {
        var anomaly = SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 1_000), [Mint(1_001)], []).Single();
        Assert.That(anomaly.Rule, Is.EqualTo(AnomalyRule.OversizedMint));
        Assert.That((anomaly.Network, anomaly.TransactionId, anomaly.Actor, anomaly.BlockNumber), Is.EqualTo(("eth", "0xt0", Minter, 100L)));
        Assert.That(anomaly.Summary, Does.Contain("1,001 base units").And.Contain("tx 0xt0").And.Contain("eth block 100"), "without decimals the amount is base units, named so");
    }

    [Test]
    public void Screen_OversizedMintWithDecimals_SummaryInTokenUnitsDescriptionKeepsBaseUnits()
    {
        var mint = Mint(50_000_000_000_000);
        var units = new Usd1Reconciler.Core.Presentation.TokenFormat(6, "USD1");

        var anomaly = SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 2_000_000_000_000), [mint], [], units).Single();

        Assert.Multiple(() =>
        {
            Assert.That(anomaly.Summary, Is.EqualTo("mint of 50,000,000 USD1 above the limit 2,000,000 USD1, eth block 100 tx 0xt0"));
            Assert.That(anomaly.Description, Does.Contain("minted 50,000,000 USD1 (50000000000000 base units)").And.Contain("the per-mint limit is 2,000,000 USD1 (2000000000000 base units)"));
            Assert.That(anomaly.Amount, Is.EqualTo(new TokenAmount(50_000_000_000_000)), "the evidence itself stays in base units");
        });
    }

    [Test]
    public void LedgerMismatch_IndexOneBaseUnitAboveChain_NegativeDifferenceInTokenUnits()
    {
        var reading = new LedgerProofReading(1, 100, new TokenAmount(2_499_999), 2_500_000, T0);

        var anomaly = SupplyAnomalyDetector.LedgerMismatch("eth", reading, new Usd1Reconciler.Core.Presentation.TokenFormat(6, "USD1"));

        Assert.That(anomaly.Summary, Is.EqualTo("on-chain supply differs from indexed supply by -0.000001 USD1 on eth at block 100"),
            "one base unit missing on the chain shows, with its sign");
    }

    [Test]
    public void Screen_BurnAboveLimit_OversizedBurnTicket()
    {
        var anomaly = SupplyAnomalyDetector.Screen("eth", Policy(maxBurn: 10), [Burn(11)], []).Single();
        Assert.That((anomaly.Rule, anomaly.Severity), Is.EqualTo((AnomalyRule.OversizedBurn, "ticket")));
    }

    [Test]
    public void Screen_MinterNotAllowedOrUnnamed_UnknownMinter()
    {
        var found = SupplyAnomalyDetector.Screen("eth", Policy(allowed: ["0xMINTER"]), [Mint(1, actor: "0xminter"), Mint(1, actor: "0xother", minutes: 1), Mint(1, actor: null, minutes: 2)], []);
        Assert.That(found.Select(a => a.Actor), Is.EqualTo(new[] { "0xother", null }), "the allowlist compares addresses case-insensitively; an unnamed minter cannot be cleared");
    }

    [Test]
    public void Screen_NetMintCrossesLimitInsideWindow_FiresOnceOnTheCrossingEvent()
    {
        var history = new[] { Mint(400, minutes: 0), Burn(100, minutes: 10) };
        var found = SupplyAnomalyDetector.Screen("eth", Policy(maxNet: 500), [Mint(200, minutes: 20), Mint(1, minutes: 21), Mint(1, minutes: 22)], history);
        var net = found.Where(a => a.Rule == AnomalyRule.NetMintWindowExceeded).ToList();
        Assert.That(net, Has.Count.EqualTo(1));
        Assert.That(net[0].TransactionId, Is.EqualTo("0xt21"), "400 - 100 + 200 = 500 is at the limit, the next mint crosses it");
    }

    [Test]
    public void Screen_OldHistoryOutsideWindow_DoesNotCount()
    {
        var history = new[] { Mint(10_000, minutes: -61) };
        Assert.That(SupplyAnomalyDetector.Screen("eth", Policy(maxNet: 500), [Mint(500)], history), Is.Empty);
    }

    [Test]
    public void Screen_MinterQuotaExceeded_Flagged()
    {
        var quotas = new Dictionary<string, TokenAmount>(StringComparer.OrdinalIgnoreCase) { [Minter] = new TokenAmount(100) };
        var found = SupplyAnomalyDetector.Screen("eth", Policy(quotas: quotas), [Mint(60), Mint(40, minutes: 1), Mint(1, minutes: 2)], []);
        Assert.That(found.Single().Rule, Is.EqualTo(AnomalyRule.MinterQuotaExceeded));
        Assert.That(found.Single().TransactionId, Is.EqualTo("0xt2"));
    }

    [Test]
    public void Screen_UntimedBackfilledEvent_PerEventRulesOnly()
    {
        var found = SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 5, maxNet: 5), [Mint(6, timed: false)], []);
        Assert.That(found.Select(a => a.Rule), Is.EqualTo(new[] { AnomalyRule.OversizedMint }));
    }

    [Test]
    public void Screen_ActivityOnPausedNetwork_Flagged() =>
        Assert.That(SupplyAnomalyDetector.Screen("old", Policy(status: NetworkStatus.Deprecated), [Burn(1)], []).Single().Rule, Is.EqualTo(AnomalyRule.ActivityOnPausedNetwork));

    [Test]
    public void Screen_SameEventTwice_SameFingerprint()
    {
        var first = SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 1), [Mint(2)], []).Single();
        var again = SupplyAnomalyDetector.Screen("eth", Policy(maxMint: 1), [Mint(2)], []).Single();
        Assert.That(again.Fingerprint, Is.EqualTo(first.Fingerprint), "a re-screen after a restart must collapse into the same page");
    }
}
