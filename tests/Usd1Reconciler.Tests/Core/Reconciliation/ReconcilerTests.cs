using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Core.Reconciliation;

[TestFixture]
public sealed class ReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReconciliationPolicy Strict = new(MinimumCoverageBps: 10_000, LiquidityDays: 2, LiquidityShareBps: 2_000, MaxConcentrationBps: 10_000);

    private static NetworkCirculation Network(long supplyUnits, int decimals = 6, LedgerProofStatus proof = LedgerProofStatus.Ok, params HolderBalance[] excluded) =>
        new("eth", NetworkKind.Evm, 100, decimals, new TokenAmount(supplyUnits), proof, excluded, null, null);

    private static ReserveAccount Account(string id, string amount, int? days = 0, string bank = "Bank A") =>
        new(id, AssetClass.Cash, "USD", UsdAmount.Parse(amount), bank, days);

    private static FeedInput Feed(TimeSpan age, TimeSpan budget, params ReserveAccount[] accounts) =>
        new("custodian", new ReserveSnapshot(7, "custodian", "Trust Co", Now - age, accounts, "att-1", "ab", null, Now - age), budget, null);

    private static ReconciliationReport Evaluate(IReadOnlyList<NetworkCirculation> networks, IReadOnlyList<FeedInput> feeds, ReconciliationPolicy? policy = null) =>
        Reconciler.Evaluate(new ReconciliationInput("once", Now, networks, feeds, policy ?? Strict));

    [Test]
    public void Evaluate_ReservesExactlyEqualSupply_Covered()
    {
        var report = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "1.000000"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Covered), "100 % coverage meets a 100 % minimum: the boundary is inclusive");
            Assert.That(report.CoverageBps, Is.EqualTo(10_000));
            Assert.That(report.Shortfall, Is.EqualTo(UsdAmount.Zero));
        });
    }

    [Test]
    public void Evaluate_ReservesOneBaseUnitShort_UndercollateralizedByOneBaseUnit()
    {
        var report = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "0.999999"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Undercollateralized), "one base unit (0.000001 USD at 6 decimals) short is short");
            Assert.That(report.Shortfall.ToString(), Is.EqualTo("0.000001"), "the shortfall is exact, not rounded away");
            Assert.That(report.CoverageBps, Is.EqualTo(9_999));
        });
    }

    [Test]
    public void Evaluate_EighteenDecimalTokenOneBaseUnitShort_ShortfallIsOneAttoDollar()
    {
        var units = System.Numerics.BigInteger.Pow(10, 18);
        var network = new NetworkCirculation("eth", NetworkKind.Evm, 1, 18, new TokenAmount(units + 1), LedgerProofStatus.Ok, [], null, null);

        var report = Evaluate([network], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "1"))]);

        Assert.That(report.Shortfall.ToString(), Is.EqualTo("0.000000000000000001"), "18-decimal tokens compare exactly with reserves too");
    }

    [Test]
    public void Evaluate_BufferOfFiftyBps_ExactlyAtBufferCoveredOneUnitBelowNot()
    {
        var policy = Strict with { MinimumCoverageBps = 10_050 };
        var at = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "1.005"))], policy);
        var below = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "1.004999"))], policy);

        Assert.Multiple(() =>
        {
            Assert.That(at.Verdict, Is.EqualTo(ReconciliationVerdict.Covered), "100.5 % meets a 100 % + 50 bps minimum");
            Assert.That(below.Verdict, Is.EqualTo(ReconciliationVerdict.Undercollateralized));
            Assert.That(below.Shortfall.ToString(), Is.EqualTo("0.000001"), "the shortfall is measured against the minimum including the buffer");
        });
    }

    [Test]
    public void Evaluate_SnapshotExactlyAtBudget_StillFresh()
    {
        var report = Evaluate([Network(1_000_000)], [Feed(TimeSpan.FromHours(1), TimeSpan.FromHours(1), Account("a", "1"))]);

        Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Covered), "an age equal to the budget is within it");
    }

    [Test]
    public void Evaluate_SnapshotStaleByOneSecond_InconclusiveNamingTheFeed()
    {
        var report = Evaluate([Network(1_000_000)], [Feed(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), Account("a", "5"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive), "stale data never yields Covered, however ample the reserves");
            Assert.That(report.FailingInputs, Has.Exactly(1).StartsWith("feed custodian:").And.Contains("beyond its budget"));
            Assert.That(report.Shortfall, Is.Null, "a stale feed yields no shortfall — not 0, which would read as 'covered'");
        });
    }

    [TestCase(LedgerProofStatus.Stale, "ledger proof stale")]
    [TestCase(LedgerProofStatus.Mismatch, "ledger proof mismatch")]
    public void Evaluate_NetworkProofNotOk_InconclusiveNamingTheNetwork(LedgerProofStatus proof, string expected)
    {
        var report = Evaluate([Network(1_000_000, proof: proof)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "5"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive));
            Assert.That(report.FailingInputs, Is.EqualTo(new[] { $"network eth: {expected}" }));
        });
    }

    [Test]
    public void Evaluate_NoSnapshotYet_InconclusiveWithLastRejection()
    {
        var report = Evaluate([Network(1)], [new FeedInput("custodian", null, TimeSpan.FromHours(1), "signature: bad")]);

        Assert.That(report.FailingInputs.Single(), Does.Contain("no accepted snapshot").And.Contain("signature: bad"), "the operator needs to know why there is no snapshot");
    }

    [Test]
    public void Evaluate_ExcludedTreasury_SubtractedFromCirculating()
    {
        var treasury = new HolderBalance("0xbb", "treasury", new TokenAmount(400_000));
        var report = Evaluate([Network(1_000_000, excluded: treasury)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "0.6"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.CirculatingSupply.ToString(), Is.EqualTo("0.6"), "treasury balance is not circulating");
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Covered));
        });
    }

    [Test]
    public void Evaluate_ExcludedBalancesExceedSupply_Inconclusive()
    {
        var report = Evaluate([Network(10, excluded: new HolderBalance("0xbb", "treasury", new TokenAmount(11)))], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "1"))]);

        Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive), "a negative circulating supply means the inputs disagree");
    }

    [Test]
    public void Evaluate_LiquidityExactlyTwentyPercent_CoveredOneUnitLessFails()
    {
        // Supply 1 USD; 20 % must be liquid within 2 days.
        var ok = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("cash", "0.2", 2), Account("bills", "0.8", 30))]);
        var short1 = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("cash", "0.199999", 2), Account("bills", "0.800001", 30))]);
        var unknownDays = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("cash", "1", null))]);

        Assert.Multiple(() =>
        {
            Assert.That(ok.Verdict, Is.EqualTo(ReconciliationVerdict.Covered), "exactly 20 % liquid within 2 days holds");
            Assert.That(short1.Verdict, Is.EqualTo(ReconciliationVerdict.Undercollateralized));
            Assert.That(short1.Rules.Single(r => r.Rule == "liquidity").Shortfall.ToString(), Is.EqualTo("0.000001"));
            Assert.That(short1.Shortfall, Is.EqualTo(UsdAmount.Zero), "total coverage holds; only the liquidity rule carries a shortfall");
            Assert.That(unknownDays.Rules.Single(r => r.Rule == "liquidity").Passed, Is.False, "unknown days to liquidity count as illiquid");
        });
    }

    [Test]
    public void Evaluate_ConcentrationAtLimitPassesAboveFails()
    {
        var policy = Strict with { MaxConcentrationBps = 5_000, LiquidityShareBps = 0 };
        var even = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "0.5", 0, "Bank A"), Account("b", "0.5", 0, "Bank B"))], policy);
        var skewed = Evaluate([Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "0.500001", 0, "Bank A"), Account("b", "0.499999", 0, "Bank B"))], policy);

        Assert.Multiple(() =>
        {
            Assert.That(even.Rules.Single(r => r.Rule == "concentration").Passed, Is.False, "one custodian holds 100 %: the custodian is a holder too");
            Assert.That(skewed.Rules.Single(r => r.Rule == "concentration").Shortfall.Atto, Is.GreaterThan(System.Numerics.BigInteger.Zero));
        });

        var twoCustodians = Reconciler.Evaluate(new ReconciliationInput("once", Now, [Network(1_000_000)],
        [
            new FeedInput("f1", new ReserveSnapshot(1, "f1", "Trust A", Now, [Account("a", "0.5", 0, "Bank A")], null, "1", null, Now), TimeSpan.FromHours(1), null),
            new FeedInput("f2", new ReserveSnapshot(2, "f2", "Trust B", Now, [Account("b", "0.5", 0, "Bank B")], null, "2", null, Now), TimeSpan.FromHours(1), null),
        ], policy));
        Assert.That(twoCustodians.Verdict, Is.EqualTo(ReconciliationVerdict.Covered), "exactly 50 % per custodian and per bank meets a 50 % limit");
    }

    [Test]
    public void Evaluate_NoFeedConfigured_Inconclusive()
    {
        var report = Evaluate([Network(0)], []);

        Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive), "with no feed, nothing is proven");
    }

    private static readonly ConclusiveResult LastShort = new(
        12, new string('a', 64), ReconciliationVerdict.Undercollateralized, Now.AddHours(-2),
        UsdAmount.Parse("78000000"), UsdAmount.Parse("28919625.94"), UsdAmount.Parse("49080374.06"), 3707);

    [Test]
    public void Evaluate_NetworkWithProblemAndDecimalsUnknown_NoFigureAtAll()
    {
        // An outage: decimals could not be read (0), yet an on-chain supply is at hand. Summed, its base units would
        // pass as 28,737,914,543,792 dollars and ample reserves would look like 0 % coverage.
        var broken = new NetworkCirculation("eth", NetworkKind.Evm, 100, 0, new TokenAmount(28_737_914_543_792), LedgerProofStatus.Ok, [], null, "token decimals could not be read");
        var fine = Network(1_000_000);

        var report = Evaluate([broken, fine], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "5"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive));
            Assert.That(report.FailingInputs, Is.EqualTo(new[] { "network eth: token decimals could not be read" }));
            Assert.That(report.CirculatingSupply, Is.Null, "no partial sum over the networks that happened to answer");
            Assert.That(report.Reserves, Is.Null);
            Assert.That(report.Shortfall, Is.Null);
            Assert.That(report.CoverageBps, Is.Null, "never 0 %");
            Assert.That(report.Rules, Is.Empty, "no rule judged on partial inputs");
            Assert.That(report.Networks, Has.Count.EqualTo(2), "the per-input details stay in the report");
        });
    }

    [Test]
    public void Evaluate_ProvenNetworkWithoutSupplyReading_InconclusiveNotSkipped()
    {
        var unread = new NetworkCirculation("sol", NetworkKind.Solana, -1, 6, null, LedgerProofStatus.Ok, [], null, null);

        var report = Evaluate([Network(1_000_000), unread], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "5"))]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive), "a network left out of the sum would make the sum partial");
            Assert.That(report.FailingInputs, Has.Exactly(1).EqualTo("network sol: no on-chain supply reading"));
        });
    }

    [Test]
    public void Evaluate_InconclusiveAfterUndercollateralized_CarriesLastConclusiveAndRunStart()
    {
        var since = Now.AddMinutes(-30);

        var report = Reconciler.Evaluate(new ReconciliationInput(
            "scheduled", Now, [Network(1_000_000)], [Feed(TimeSpan.FromHours(2), TimeSpan.FromHours(1), Account("a", "5"))], Strict, LastShort, since));

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive));
            Assert.That(report.LastConclusive, Is.EqualTo(LastShort), "the shortfall stays visible beside the inconclusive verdict");
            Assert.That(report.InconclusiveSince, Is.EqualTo(since), "the run of inconclusive reports continues");
            Assert.That(report.Shortfall, Is.Null);
        });
    }

    [Test]
    public void Evaluate_FirstInconclusive_RunStartsAtEvaluation()
    {
        var report = Reconciler.Evaluate(new ReconciliationInput(
            "scheduled", Now, [Network(1_000_000)], [Feed(TimeSpan.FromHours(2), TimeSpan.FromHours(1), Account("a", "5"))], Strict, LastShort));

        Assert.That(report.InconclusiveSince, Is.EqualTo(Now));
    }

    [Test]
    public void Evaluate_ConclusiveWithEarlierResultGiven_CarriesNoProvenance()
    {
        var report = Reconciler.Evaluate(new ReconciliationInput(
            "scheduled", Now, [Network(1_000_000)], [Feed(TimeSpan.Zero, TimeSpan.FromHours(1), Account("a", "5"))], Strict, LastShort, Now.AddHours(-1)));

        Assert.Multiple(() =>
        {
            Assert.That(report.Verdict, Is.EqualTo(ReconciliationVerdict.Covered));
            Assert.That(report.LastConclusive, Is.Null, "a conclusive report is its own result");
            Assert.That(report.InconclusiveSince, Is.Null, "a conclusive report ends the run");
            Assert.That(report.CoverageBps, Is.EqualTo(50_000));
        });
    }
}
