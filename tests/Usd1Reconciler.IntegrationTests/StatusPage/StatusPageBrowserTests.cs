using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.StatusPage;

/// <summary>
/// The status page as a treasury desk and on-call see it: a daemon on anvil with two networks and two custodians,
/// rendered by headless Chromium at 1280 px and at 390 px (a phone), screenshotted into the test output, and every
/// figure read back from the DOM compared with the store — read through the store API and formatted by the same
/// Core.Presentation formatter — and, so that the formatter cannot hide a wrong figure, with hand-written literals.
/// The control-plane section rides the first test's daemon: a policy on ethereum, an allowance raised above it.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class StatusPageBrowserTests
{
    private static readonly int[] Widths = [1280, 390];

    [Test]
    public async Task Render_TwoNetworksTwoCustodiansWithHistory_EveryFigureEqualsTheStoreAtBothWidths()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var ethereum = await chain.DeployUsd1Async();
        var baseToken = await chain.DeployUsd1Async();
        var oversized = await chain.MintAsync(ethereum, EvmTestChain.Alice, 50_000_000_000_000);
        await chain.MintAsync(ethereum, EvmTestChain.Bob, 1_500_000_000_000);
        await chain.MintAsync(ethereum, EvmTestChain.Deployer, 250_000_000_000);
        await chain.BurnOwnAsync(ethereum, 125_000_000_000);
        await chain.MintAsync(baseToken, EvmTestChain.Alice, 875_000_000_001);
        // The control plane: the deployer's allowance raised to 5,000,000 USD1 where ethereum's policy allows 1,000,000.
        var deployer = EvmTestChain.Deployer.ToLowerInvariant();
        var configure = (await chain.SendAsync(EvmTestChain.Deployer, ethereum, Abi.Call("configureMinter(address,uint256)", EvmTestChain.Deployer, 5_000_000_000_000)))
            .GetProperty("transactionHash").GetString()!.ToLowerInvariant();
        var now = TimeProvider.System.GetUtcNow();
        // A week every 3 hours, then the last day every 30 minutes, each with an inconclusive stretch (a gap).
        var history = StatusPageFixture.History(now.AddDays(-1), TimeSpan.FromHours(3), 48, 40_000_000, 47_000_000, new HashSet<int> { 20, 21 });
        history.AddRange(StatusPageFixture.History(now.AddMinutes(-5), TimeSpan.FromMinutes(30), 46, 47_500_000, 52_000_000, new HashSet<int> { 30 }));
        await using var daemon = await StatusPageFixture.StartAsync(
            $$"""
            { "Name": "ethereum", "Kind": "Evm", "ChainId": {{anvil.ChainId}}, "RpcUrls": ["{{anvil.Url}}"], "Token": "{{ethereum}}", "Confirmations": 0, "PollInterval": "00:00:00.250",
              "Anomalies": { "MaxMint": "2000000000000", "ExplorerTxUrl": "https://etherscan.io/tx/{tx}" },
              "Governance": { "MaxMinterAllowances": { "{{EvmTestChain.Deployer}}": "1000000000000" }, "Owner": "{{EvmTestChain.Deployer}}" } },
            { "Name": "base", "Kind": "Evm", "ChainId": {{anvil.ChainId}}, "RpcUrls": ["{{anvil.Url}}"], "Token": "{{baseToken}}", "Confirmations": 0, "PollInterval": "00:00:00.250" }
            """,
            [
                ("bank-a", "01:00:00", "Bank A", """{"id":"op-1","assetClass":"cash","currency":"USD","amount":"20000000","bank":"Bank A","daysToLiquidity":0},{"id":"tb-1","assetClass":"tbills","currency":"USD","amount":"35000000","bank":"Bank A","daysToLiquidity":5}"""),
                ("trust-b", "01:00:00", "Trust B", """{"id":"mmf-1","assetClass":"mmf","currency":"USD","amount":"10000000.25","bank":"Trust B","daysToLiquidity":1}"""),
            ],
            history);
        await StatusPageFixture.WaitUntilAsync(
            async () => (await daemon.Reports.ListReportsAsync(1, CancellationToken.None)) is [{ Verdict: "covered" } latest] && latest.EvaluatedAt > now
                && (await daemon.Anomalies.GetRecentAnomaliesAsync(5, CancellationToken.None)).Any(a => a.Anomaly.Rule == AnomalyRule.OversizedMint)
                && await ProvenAtFinalBlockAsync(daemon, "ethereum") && await ProvenAtFinalBlockAsync(daemon, "base"),
            TimeSpan.FromSeconds(60), "a live covered verdict, the oversized mint's anomaly and both networks' governance proven at their final block");

        foreach (var width in Widths)
        {
            using var page = await daemon.ReadPageAsync(width);
            var shown = page.RootElement;
            var figures = shown.GetProperty("figures");
            string Figure(string name) => figures.TryGetProperty(name, out var f) ? f.GetString()! : $"(no figure '{name}' on the page)";

            // The figures of the report the page shows, read back through the store API.
            var shownReport = (await daemon.Reports.GetReportAsync(long.Parse(Figure("report-id")[1..], System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None))!;
            var pageNow = DateTimeOffset.ParseExact(Figure("now"), "yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
            var conclusive = ReportCanonicalForm.ReadFigures(shownReport).Conclusive!;
            var supplies = (await daemon.Store.GetSupplyAsync(CancellationToken.None)).ToDictionary(s => s.Name);
            var anomaly = (await daemon.Anomalies.GetRecentAnomaliesAsync(20, CancellationToken.None)).First(a => a.Anomaly.Rule == AnomalyRule.OversizedMint);
            var historyFromStore = (await daemon.Reports.GetReportHistoryAsync(pageNow.AddDays(-7), CancellationToken.None)).Where(p => p.Id <= shownReport.Id).ToList();
            var governance = GovernanceFold.Fold("ethereum", await daemon.Store.GetGovernanceChangesAsync("ethereum", CancellationToken.None));
            var proofs = new Dictionary<string, GovernanceProofReading?>
            {
                ["ethereum"] = await daemon.Store.GetGovernanceProofAsync("ethereum", CancellationToken.None),
                ["base"] = await daemon.Store.GetGovernanceProofAsync("base", CancellationToken.None),
            };
            var configured = governance.Applied.Single(c => c.TransactionId == configure);
            var changeKey = $"ethereum:{configure}:{configured.Position}:{configured.SubPosition}";

            Assert.Multiple(() =>
            {
                Assert.That(shown.GetProperty("scrollWidth").GetInt32(), Is.LessThanOrEqualTo(shown.GetProperty("clientWidth").GetInt32()), $"{width} px: nothing scrolls sideways");
                Assert.That(shown.GetProperty("requests").EnumerateArray().Select(r => r.GetString()), Is.All.StartsWith(daemon.Url.ToString()), $"{width} px: the page fetches nothing from elsewhere (works offline)");
                Assert.That(shown.GetProperty("verdict").GetString(), Is.EqualTo("COVERED"));

                // Against the store, formatted by the same formatter.
                Assert.That(Figure("circulating"), Is.EqualTo(UsdText.Format(conclusive.CirculatingSupply)));
                Assert.That(Figure("reserves"), Is.EqualTo(UsdText.Format(conclusive.Reserves)));
                Assert.That(Figure("coverage"), Is.EqualTo(PercentText.FromBps(conclusive.CoverageBps)));
                Assert.That(Figure("shortfall"), Is.EqualTo(UsdText.Format(conclusive.Shortfall)));
                Assert.That(Figure("reserves-total"), Is.EqualTo(UsdText.Format(conclusive.Reserves)));
                foreach (var (name, supply) in supplies)
                {
                    Assert.That(Figure($"indexed:{name}"), Is.EqualTo(StatusPageFixture.Tokens(supply).Format(supply.IndexedSupply)), $"{name}: indexed supply");
                    Assert.That(Figure($"onchain:{name}"), Is.EqualTo(StatusPageFixture.Tokens(supply).Format(supply.LatestProof!.OnchainSupply)), $"{name}: on-chain supply");
                    Assert.That(Figure($"final:{name}"), Is.EqualTo(TokenFormat.Grouped(supply.FinalBlock)), $"{name}: final block");
                    Assert.That(Figure($"mints:{name}"), Is.EqualTo(TokenFormat.Grouped(supply.FinalMints)));
                    Assert.That(Figure($"burns:{name}"), Is.EqualTo(TokenFormat.Grouped(supply.FinalBurns)));
                }

                Assert.That(Figure($"anomaly:{anomaly.Id}"), Is.EqualTo(anomaly.Anomaly.Summary), "the anomaly as stored");
                foreach (var (name, proof) in proofs)
                {
                    Assert.That(Figure($"gov-proof:{name}"), Is.EqualTo("OK"), $"{name}: proven at its final block within its budget");
                    Assert.That(Figure($"gov-proof-block:{name}"), Is.EqualTo(TokenFormat.Grouped(proof!.BlockNumber)), $"{name}: the block the stored proof compared at");
                    Assert.That(Figure($"gov-proof-age:{name}"), Does.EndWith(" ago"));
                }

                Assert.That(Figure($"gov-minter:ethereum:{deployer}"), Is.EqualTo("allowance " + StatusPageFixture.Tokens(supplies["ethereum"]).Format(governance.State.Minters[deployer])));
                Assert.That(Figure("gov-owner:ethereum"), Is.EqualTo(governance.State.Owner));
                Assert.That(Figure($"gov-change:{changeKey}"), Is.EqualTo(configured.Describe()), "the change log as stored");
                Assert.That(Figure($"gov-change-time:{changeKey}"), Is.EqualTo(UtcText.Format(configured.BlockTime)));
                var supply24h = shown.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "supply-24h");
                var supply7d = shown.GetProperty("charts").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "supply-7d");
                Assert.That(supply7d.GetProperty("reports").GetInt32(), Is.EqualTo(historyFromStore.Count), "the 7-day chart draws every stored report of the week");
                Assert.That(supply7d.GetProperty("inconclusive").GetInt32(), Is.EqualTo(historyFromStore.Count(p => p.Verdict == ReconciliationVerdict.Inconclusive)));
                Assert.That(supply7d.GetProperty("lines").GetInt32(), Is.GreaterThanOrEqualTo(2), "the seeded inconclusive stretch breaks the line");
                Assert.That(supply24h.GetProperty("reports").GetInt32(), Is.GreaterThan(46), "the 30-minute history of the last day plus the live reports");
                Assert.That(Figure("supply-7d:latest"), Is.EqualTo(new TokenFormat(18, "USD1").Format(historyFromStore.Last(p => p.CirculatingSupply is not null).CirculatingSupply!.Value.Atto)));

                // Against literals written by hand: what the chain and the feeds hold, so a formatter bug cannot agree with itself.
                Assert.That(Figure("circulating"), Is.EqualTo("52,500,000.000001 USD"), "50,000,000 + 1,500,000 + 250,000 − 125,000 on ethereum, 875,000.000001 on base");
                Assert.That(Figure("indexed:base"), Is.EqualTo("875,000.000001 USD1"), "one base unit above 875,000 tokens shows");
                Assert.That(Figure("indexed:ethereum"), Is.EqualTo("51,625,000 USD1"));
                Assert.That(Figure("reserves"), Is.EqualTo("65,000,000.25 USD"));
                Assert.That(Figure("coverage"), Is.EqualTo("123.80 %"), "65,000,000.25 / 52,500,000.000001, floor to bps");
                Assert.That(Figure("asset-class:tbills"), Is.EqualTo("35,000,000.00 USD"));
                Assert.That(Figure("custodian:Trust B"), Is.EqualTo("10,000,000.25 USD"));
                Assert.That(Figure("liquid"), Is.EqualTo("30,000,000.25 USD"), "cash T+0 and the fund T+1; the T-bills (T+5) are not liquid within 2 days");
                Assert.That(Figure("liquidity-required"), Is.EqualTo("10,500,000.0000002 USD"), "20 % of circulating, exact to the atto-dollar");
                Assert.That(Figure($"anomaly:{anomaly.Id}"), Does.StartWith("mint of 50,000,000 USD1 above the limit 2,000,000 USD1, ethereum block "));
                Assert.That(shown.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()), Has.Member($"https://etherscan.io/tx/{oversized}"), "the explorer link of the anomaly's transaction");
                Assert.That(shown.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()), Has.Some.EndsWith("/OversizedMint.md"), "and its runbook");
                Assert.That(Figure("gov-policy:ethereum"), Is.EqualTo("1 drift item"), "the owner is the expected one; only the allowance is above its maximum");
                Assert.That(Figure($"gov-drift:ethereum:allowance:{deployer}"), Is.EqualTo("at most 1,000,000 USD1 → 5,000,000 USD1"));
                Assert.That(Figure($"gov-minter:ethereum:{deployer}"), Is.EqualTo("allowance 5,000,000 USD1"));
                Assert.That(Figure("gov-owner:ethereum"), Is.EqualTo(deployer));
                Assert.That(Figure("gov-role:ethereum:MINTER_ROLE"), Is.EqualTo(deployer), "the constructor's grant, named though no policy names the role");
                Assert.That(Figure("gov-paused:ethereum"), Is.EqualTo("no (no pause event seen)"));
                Assert.That(Figure($"gov-change:{changeKey}"), Is.EqualTo($"MinterConfigured {deployer}: - → 5000000000000"));
                Assert.That(Figure("gov-policy:base"), Is.EqualTo("no policy configured"), "base has no Governance section: said, not left blank");
                Assert.That(shown.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()), Has.Member($"https://etherscan.io/tx/{configure}"), "the drift item's and the change's explorer link");
            });
        }
    }

    /// <summary>The network's stored governance proof is ok and at its final block: the page then shows OK, not STALE.</summary>
    private static async Task<bool> ProvenAtFinalBlockAsync(StatusPageFixture daemon, string network)
    {
        var supply = (await daemon.Store.GetSupplyAsync(CancellationToken.None)).SingleOrDefault(s => s.Name == network);
        return supply is not null
            && await daemon.Store.GetGovernanceProofAsync(network, CancellationToken.None) is { Status: GovernanceProofStatus.Ok } proof
            && proof.BlockNumber >= supply.FinalBlock;
    }

    [Test]
    public async Task Render_FeedGoesStale_InconclusiveWithoutFiguresLastConclusiveMarkedStaleAtBothWidths()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_500_000_000);
        await chain.MintAsync(token, EvmTestChain.Deployer, 750_000_000);
        await chain.BurnOwnAsync(token, 125_000_000);
        await using var daemon = await StatusPageFixture.StartAsync(
            $$"""{ "Name": "anvil", "Kind": "Evm", "ChainId": {{anvil.ChainId}}, "RpcUrls": ["{{anvil.Url}}"], "Token": "{{token}}", "Confirmations": 0, "PollInterval": "00:00:00.250" }""",
            [("bank-a", "00:00:08", "Bank A", """{"id":"op-1","assetClass":"cash","currency":"USD","amount":"4000","bank":"Bank A","daysToLiquidity":0}""")]);
        // The custodian publishes (as-of now) until a covered verdict stands; then it stops, its as-of time ages past
        // the 8 s budget and the reports turn Inconclusive.
        await StatusPageFixture.WaitUntilAsync(
            async () =>
            {
                await daemon.TouchFeedsAsync();
                return await daemon.Reports.GetLatestConclusiveReportAsync(CancellationToken.None) is { Verdict: "covered" };
            },
            TimeSpan.FromSeconds(90),
            "a covered verdict");
        await StatusPageFixture.WaitUntilAsync(async () => (await daemon.Reports.ListReportsAsync(1, CancellationToken.None)) is [{ Verdict: "inconclusive" }], TimeSpan.FromSeconds(60), "an inconclusive verdict");

        foreach (var width in Widths)
        {
            using var page = await daemon.ReadPageAsync(width);
            var shown = page.RootElement;
            var figures = shown.GetProperty("figures");
            string Figure(string name) => figures.TryGetProperty(name, out var f) ? f.GetString()! : $"(no figure '{name}' on the page)";
            var last = ReportCanonicalForm.ReadFigures((await daemon.Reports.GetLatestConclusiveReportAsync(CancellationToken.None))!).Conclusive!;

            Assert.Multiple(() =>
            {
                Assert.That(shown.GetProperty("scrollWidth").GetInt32(), Is.LessThanOrEqualTo(shown.GetProperty("clientWidth").GetInt32()), $"{width} px: nothing scrolls sideways");
                Assert.That(shown.GetProperty("verdict").GetString(), Is.EqualTo("INCONCLUSIVE"));
                Assert.That(shown.GetProperty("circulating").GetString(), Is.EqualTo("–"), "no figure from a stale input");
                Assert.That(shown.GetProperty("coverage").GetString(), Is.EqualTo("–"));
                Assert.That(Figure("last-circulating"), Is.EqualTo(UsdText.Format(last.CirculatingSupply)).And.EqualTo("3,125.00 USD"), "the last conclusive result, from the store and by hand");
                Assert.That(Figure("last-reserves"), Is.EqualTo(UsdText.Format(last.Reserves)).And.EqualTo("4,000.00 USD"));
                Assert.That(Figure("reserves-total"), Is.EqualTo("4,000.00 USD"), "the composition of the last conclusive report, marked");
                Assert.That(Figure("indexed:anvil"), Is.EqualTo("3,125 USD1"));
            });
        }
    }
}
