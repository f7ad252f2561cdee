using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Core.Reconciliation;

[TestFixture]
public sealed class ReportCanonicalFormTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReconciliationPolicy Policy = new(10_000, 2, 2_000, 10_000);

    // Written by the version before provenance (format 1 only), from Sample("2.5") and Sample("1.5"): a conclusive
    // report written today must hash exactly as it would have then.
    internal const string OldCovered = @"{""format"":1,""kind"":""scheduled"",""createdAt"":""2025-06-30T12:00:00.0000000Z"",""evaluatedAt"":""2025-06-30T12:00:00.0000000Z"",""verdict"":""covered"",""circulatingSupplyUsd"":""2"",""reservesUsd"":""2.5"",""shortfallUsd"":""0"",""coverageBps"":12500,""failingInputs"":[],""rules"":[{""rule"":""coverage"",""passed"":true,""shortfallUsd"":""0"",""detail"":""reserves 2.5 USD vs required 2 USD (10000 bps of circulating 2)""},{""rule"":""liquidity"",""passed"":true,""shortfallUsd"":""0"",""detail"":""liquid within 2 days 2.5 USD vs required 0.4 USD (2000 bps of circulating)""},{""rule"":""concentration"",""passed"":true,""shortfallUsd"":""0"",""detail"":""largest holder bank Bank A holds 2.5 USD vs allowed 2.5 USD (10000 bps of reserves)""}],""policy"":{""minimumCoverageBps"":10000,""liquidityDays"":2,""liquidityShareBps"":2000,""maxConcentrationBps"":10000},""networks"":[{""network"":""eth"",""kind"":""evm"",""block"":100,""decimals"":6,""onchainSupply"":""2500000"",""ledgerProof"":""ok"",""excluded"":[{""address"":""0xtreasury"",""label"":""treasury"",""balance"":""500000""}],""circulating"":""2000000"",""bridgedFrom"":null,""problem"":null}],""feeds"":[{""feed"":""custodian"",""staleAfter"":""01:00:00"",""latestRejection"":null,""snapshot"":{""id"":7,""custodian"":""Trust Co"",""asOf"":""2025-06-30T12:00:00.0000000Z"",""receivedAt"":""2025-06-30T12:00:00.0000000Z"",""contentSha256"":""ab"",""signature"":null,""attestation"":""att-1"",""totalUsd"":""2.5"",""accounts"":[{""id"":""a"",""assetClass"":""cash"",""currency"":""USD"",""amountUsd"":""2.5"",""bank"":""Bank A"",""daysToLiquidity"":0}]}}]}";
    internal const string OldUndercollateralized = @"{""format"":1,""kind"":""scheduled"",""createdAt"":""2025-06-30T12:00:00.0000000Z"",""evaluatedAt"":""2025-06-30T12:00:00.0000000Z"",""verdict"":""undercollateralized"",""circulatingSupplyUsd"":""2"",""reservesUsd"":""1.5"",""shortfallUsd"":""0.5"",""coverageBps"":7500,""failingInputs"":[],""rules"":[{""rule"":""coverage"",""passed"":false,""shortfallUsd"":""0.5"",""detail"":""reserves 1.5 USD vs required 2 USD (10000 bps of circulating 2)""},{""rule"":""liquidity"",""passed"":true,""shortfallUsd"":""0"",""detail"":""liquid within 2 days 1.5 USD vs required 0.4 USD (2000 bps of circulating)""},{""rule"":""concentration"",""passed"":true,""shortfallUsd"":""0"",""detail"":""largest holder bank Bank A holds 1.5 USD vs allowed 1.5 USD (10000 bps of reserves)""}],""policy"":{""minimumCoverageBps"":10000,""liquidityDays"":2,""liquidityShareBps"":2000,""maxConcentrationBps"":10000},""networks"":[{""network"":""eth"",""kind"":""evm"",""block"":100,""decimals"":6,""onchainSupply"":""2500000"",""ledgerProof"":""ok"",""excluded"":[{""address"":""0xtreasury"",""label"":""treasury"",""balance"":""500000""}],""circulating"":""2000000"",""bridgedFrom"":null,""problem"":null}],""feeds"":[{""feed"":""custodian"",""staleAfter"":""01:00:00"",""latestRejection"":null,""snapshot"":{""id"":7,""custodian"":""Trust Co"",""asOf"":""2025-06-30T12:00:00.0000000Z"",""receivedAt"":""2025-06-30T12:00:00.0000000Z"",""contentSha256"":""ab"",""signature"":null,""attestation"":""att-1"",""totalUsd"":""1.5"",""accounts"":[{""id"":""a"",""assetClass"":""cash"",""currency"":""USD"",""amountUsd"":""1.5"",""bank"":""Bank A"",""daysToLiquidity"":0}]}}]}";

    // An Inconclusive report as the previous version stored it: the network's decimals were unknown (0), so its base
    // units were summed as dollars and a coverage of 0 was written. Its bytes are in chains for ever.
    internal const string OldInconclusiveWithPartialSum = @"{""format"":1,""kind"":""scheduled"",""createdAt"":""2025-06-30T13:00:00.0000000Z"",""evaluatedAt"":""2025-06-30T13:00:00.0000000Z"",""verdict"":""inconclusive"",""circulatingSupplyUsd"":""2000000"",""reservesUsd"":""2.5"",""shortfallUsd"":""0"",""coverageBps"":0,""failingInputs"":[""network eth: token decimals could not be read""],""rules"":[],""policy"":{""minimumCoverageBps"":10000,""liquidityDays"":2,""liquidityShareBps"":2000,""maxConcentrationBps"":10000},""networks"":[],""feeds"":[]}";

    private static readonly ConclusiveResult LastShort = new(
        41, "c0ffee" + new string('0', 58), ReconciliationVerdict.Undercollateralized, Now.AddHours(-3),
        UsdAmount.Parse("78000000"), UsdAmount.Parse("28919625.94"), UsdAmount.Parse("49080374.06"), 3707);

    private static NetworkCirculation Eth(string? problem = null, LedgerProofStatus proof = LedgerProofStatus.Ok, int decimals = 6) =>
        new("eth", NetworkKind.Evm, 100, decimals, new TokenAmount(2_500_000), proof,
            [new HolderBalance("0xtreasury", "treasury", new TokenAmount(500_000))], null, problem);

    internal static ReconciliationReport Sample(string reserves, TimeSpan feedAge, NetworkCirculation? network = null, ConclusiveResult? last = null, DateTimeOffset? since = null)
    {
        var snapshot = new ReserveSnapshot(7, "custodian", "Trust Co", Now - feedAge,
            [new ReserveAccount("a", AssetClass.Cash, "USD", UsdAmount.Parse(reserves), "Bank A", 0)], "att-1", "ab", null, Now - feedAge);
        return Reconciler.Evaluate(new ReconciliationInput(
            "scheduled", Now, [network ?? Eth()], [new FeedInput("custodian", snapshot, TimeSpan.FromHours(1), null)], Policy, last, since));
    }

    private static StoredReport Stored(long id, string canonical, string verdict, string shortfall = "") =>
        new(id, "scheduled", Now, Now, verdict, shortfall, canonical, ReportChain.GenesisHash, ReportChain.Hash(ReportChain.GenesisHash, canonical));

    [Test]
    public void Write_ConclusiveReports_ByteForByteTheFormatOneOfThePreviousVersion()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ReportCanonicalForm.Write(Sample("2.5", TimeSpan.Zero), Now), Is.EqualTo(OldCovered), "covered: unchanged bytes, unchanged hash");
            Assert.That(ReportCanonicalForm.Write(Sample("1.5", TimeSpan.Zero), Now), Is.EqualTo(OldUndercollateralized), "undercollateralized: unchanged bytes, unchanged hash");
        });
    }

    [Test]
    public void Write_WithGovernanceSeen_FormatFourIsTheOldBytesPlusATrailingGovernanceArray()
    {
        var seen = new[] { new Usd1Reconciler.Core.Governance.GovernanceSeen("eth", Usd1Reconciler.Core.Governance.GovernanceProofStatus.Mismatch, 41, "ab12") };

        var written = ReportCanonicalForm.Write(Sample("2.5", TimeSpan.Zero) with { Governance = seen }, Now);

        var expected = OldCovered.Replace("{\"format\":1,", "{\"format\":4,", StringComparison.Ordinal)[..^1]
            + ",\"governance\":[{\"network\":\"eth\",\"governanceProof\":\"mismatch\",\"block\":41,\"stateHash\":\"ab12\"}]}";
        Assert.That(written, Is.EqualTo(expected), "format 1's fields byte for byte, then what the report saw of the control plane");
        var figures = ReportCanonicalForm.ReadFigures(Stored(1, written, "covered"));
        Assert.That(figures.Conclusive!.CirculatingSupply, Is.EqualTo(ReportCanonicalForm.ReadFigures(Stored(1, OldCovered, "covered")).Conclusive!.CirculatingSupply), "readers read format 4 as its base format");
    }

    [Test]
    public void Write_InconclusiveWithGovernance_FormatFourKeepsNoFigure()
    {
        var report = Sample("2.5", TimeSpan.FromHours(2), last: LastShort, since: Now.AddMinutes(-40)) with
        {
            Governance = [new Usd1Reconciler.Core.Governance.GovernanceSeen("eth", Usd1Reconciler.Core.Governance.GovernanceProofStatus.Stale, null, null)],
        };

        using var json = JsonDocument.Parse(ReportCanonicalForm.Write(report, Now));

        Assert.That(json.RootElement.GetProperty("format").GetInt32(), Is.EqualTo(4));
        Assert.That(json.RootElement.GetProperty("circulatingSupplyUsd").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("governance")[0].GetProperty("stateHash").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Write_InconclusiveReport_FormatTwoWithNoFigureAndTheLastConclusiveResult()
    {
        var since = Now.AddMinutes(-40);
        var report = Sample("2.5", TimeSpan.FromHours(2), last: LastShort, since: since);

        using var json = JsonDocument.Parse(ReportCanonicalForm.Write(report, Now));
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("format").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("inconclusive"));
            foreach (var figure in new[] { "circulatingSupplyUsd", "reservesUsd", "shortfallUsd", "coverageBps" })
            {
                Assert.That(root.GetProperty(figure).ValueKind, Is.EqualTo(JsonValueKind.Null), $"{figure}: an inconclusive report has no figure — not 0, not a partial sum");
            }

            Assert.That(root.GetProperty("rules").GetArrayLength(), Is.Zero, "rules judged on a stale feed are no judgement");
            Assert.That(root.GetProperty("inconclusiveSince").GetString(), Is.EqualTo("2025-06-30T11:20:00.0000000Z"));
            var last = root.GetProperty("lastConclusive");
            Assert.That(last.GetProperty("reportId").GetInt64(), Is.EqualTo(41));
            Assert.That(last.GetProperty("verdict").GetString(), Is.EqualTo("undercollateralized"));
            Assert.That(last.GetProperty("shortfallUsd").GetString(), Is.EqualTo("49080374.06"));
            Assert.That(last.GetProperty("coverageBps").GetInt64(), Is.EqualTo(3707));
            Assert.That(last.GetProperty("evaluatedAt").GetString(), Is.EqualTo("2025-06-30T09:00:00.0000000Z"));
            Assert.That(root.GetProperty("feeds")[0].GetProperty("snapshot").GetProperty("totalUsd").GetString(), Is.EqualTo("2.5"), "per-input details stay");
            Assert.That(root.GetProperty("networks")[0].GetProperty("circulating").GetString(), Is.EqualTo("2000000"), "a proven network keeps its own base-unit figure");
        });
    }

    [Test]
    public void Write_NetworkWithProblem_NoCirculatingFigureForIt()
    {
        var report = Sample("2.5", TimeSpan.Zero, Eth(problem: "token decimals could not be read", decimals: 0));

        using var json = JsonDocument.Parse(ReportCanonicalForm.Write(report, Now));
        var network = json.RootElement.GetProperty("networks")[0];
        Assert.Multiple(() =>
        {
            Assert.That(network.GetProperty("circulating").ValueKind, Is.EqualTo(JsonValueKind.Null), "an untrusted reading yields no circulating figure");
            Assert.That(network.GetProperty("problem").GetString(), Is.EqualTo("token decimals could not be read"));
            Assert.That(json.RootElement.GetProperty("circulatingSupplyUsd").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public void ReadFigures_InconclusiveWritten_LastConclusiveAndSinceRoundTrip()
    {
        var since = Now.AddMinutes(-40);
        var canonical = ReportCanonicalForm.Write(Sample("2.5", TimeSpan.FromHours(2), last: LastShort, since: since), Now);

        var figures = ReportCanonicalForm.ReadFigures(Stored(42, canonical, "inconclusive"));

        Assert.Multiple(() =>
        {
            Assert.That(figures.Verdict, Is.EqualTo(ReconciliationVerdict.Inconclusive));
            Assert.That(figures.Conclusive, Is.Null);
            Assert.That(figures.LastConclusive, Is.EqualTo(LastShort), "every field of the last conclusive result round-trips exactly");
            Assert.That(figures.InconclusiveSince, Is.EqualTo(since));
        });
    }

    [Test]
    public void ReadFigures_InconclusiveWithoutEarlierConclusive_LastConclusiveNull()
    {
        var canonical = ReportCanonicalForm.Write(Sample("2.5", TimeSpan.FromHours(2)), Now);

        using var json = JsonDocument.Parse(canonical);
        var figures = ReportCanonicalForm.ReadFigures(Stored(1, canonical, "inconclusive"));
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("lastConclusive").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(figures.LastConclusive, Is.Null);
            Assert.That(figures.InconclusiveSince, Is.EqualTo(Now), "a run with no start given starts at this report");
        });
    }

    [Test]
    public void ReadFigures_FormatOneInconclusiveWithPartialSum_YieldsNoFigure()
    {
        var figures = ReportCanonicalForm.ReadFigures(Stored(5, OldInconclusiveWithPartialSum, "inconclusive", "0"));

        Assert.Multiple(() =>
        {
            Assert.That(figures.Conclusive, Is.Null, "the 2,000,000 'USD' in an old inconclusive report are base units: never read back as a figure");
            Assert.That(figures.LastConclusive, Is.Null, "format 1 carried none");
            Assert.That(figures.InconclusiveSince, Is.Null);
        });
    }

    [Test]
    public void ReadFigures_OldConclusiveReport_FiguresFromIt()
    {
        var figures = ReportCanonicalForm.ReadFigures(Stored(9, OldUndercollateralized, "undercollateralized", "0.5"));

        Assert.That(figures.Conclusive, Is.EqualTo(new ConclusiveResult(
            9, ReportChain.Hash(ReportChain.GenesisHash, OldUndercollateralized), ReconciliationVerdict.Undercollateralized, Now,
            UsdAmount.Parse("2"), UsdAmount.Parse("1.5"), UsdAmount.Parse("0.5"), 7500)));
    }

    [Test]
    public void Verify_ChainOfOldReportsThenNewInconclusiveAndConclusive_Intact()
    {
        var canonicals = new (string Canonical, string Verdict, string Shortfall)[]
        {
            (OldCovered, "covered", "0"),
            (OldInconclusiveWithPartialSum, "inconclusive", "0"),
            (OldUndercollateralized, "undercollateralized", "0.5"),
            (ReportCanonicalForm.Write(Sample("2.5", TimeSpan.FromHours(2), last: LastShort, since: Now), Now), "inconclusive", ""),
            (ReportCanonicalForm.Write(Sample("2.5", TimeSpan.Zero), Now), "covered", "0"),
        };
        var chain = new List<StoredReport>();
        var previous = ReportChain.GenesisHash;
        foreach (var (canonical, verdict, shortfall) in canonicals)
        {
            var hash = ReportChain.Hash(previous, canonical);
            using var json = JsonDocument.Parse(canonical);
            var at = ReportCanonicalForm.ParseTime(json.RootElement.GetProperty("createdAt").GetString());
            chain.Add(new StoredReport(chain.Count + 1, "scheduled", at, at, verdict, shortfall, canonical, previous, hash));
            previous = hash;
        }

        Assert.That(ReportChain.Verify(chain, ReportChain.GenesisHash), Is.Empty, "format-1 reports of the previous version and format-2 reports verify in one chain");
    }
}
