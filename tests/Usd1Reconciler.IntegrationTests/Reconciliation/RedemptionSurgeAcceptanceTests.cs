using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>
/// Issue 17's acceptance: against anvil and the Solana devnet, a burst of burns crosses the 48 h net-redemption
/// threshold, <c>RedemptionSurge</c> reaches the webhook through a real Prometheus and Alertmanager, and the runway the
/// daemon stores and exports equals a hand computation from the amounts the test minted and burned and the reserves it
/// wrote.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class RedemptionSurgeAcceptanceTests
{
    // Both tokens have 6 decimals: 1 USD = 1,000,000 base units.
    private const long Unit = 1_000_000;

    [Test]
    public async Task RedemptionSurge_BurstOfBurnsOnAnvilAndSolana_PagesThroughAlertmanagerAndRunwayMatchesHandComputation()
    {
        // The 48 h window counts mints too. anvil's genesis is three days back, so its seed mint lies outside every
        // window; the chain is then brought to the present for the burst. The Solana devnet stamps blocks with the wall
        // clock, so its seed mint is inside the window and the hand computation subtracts it.
        var now = TimeProvider.System.GetUtcNow();
        var genesis = now.AddDays(-3).ToUnixTimeSeconds();
        await using var node = await AnvilNode.StartAsync(extraArguments: ["--timestamp", genesis.ToString(CultureInfo.InvariantCulture)]);
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        BigInteger anvilSeed = 1_000_000 * Unit;
        await chain.MintAsync(token, EvmTestChain.Deployer, anvilSeed);
        await node.CallAsync("evm_setNextBlockTimestamp", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        await chain.MineAsync();

        await using var devnet = await SolanaDevnetFixture.StartAsync(finalityLag: 4);
        using var spl = await SolanaDriver.SetupAsync(devnet);
        ulong solanaSeed = 100_000 * (ulong)Unit;
        await spl.MintAsync(solanaSeed);
        await devnet.AdvanceSlotsAsync(10);

        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        var networks = $$"""
            { "Name": "anvil", "Kind": "Evm", "ChainId": {{node.ChainId}}, "RpcUrls": ["{{node.Url}}"], "Token": "{{token}}", "Confirmations": 0, "PollInterval": "00:00:00.250" },
            { "Name": "solana", "Kind": "Solana", "RpcUrls": ["{{devnet.Url}}"], "Mint": "{{spl.Mint}}", "PollInterval": "00:00:00.250" }
            """;
        // A small surge threshold: 10% of circulating supply over 48 h; the liquid-reserves basis stays at 50%.
        await using var daemon = await DaemonUnderTest.StartAsync(networks, 1_500_000m, """
            , "Reconciliation": { "Redemptions": { "RunwayWindow": "2.00:00:00", "SurgeShareOfSupplyBps": 1000, "SurgeShareOfLiquidBps": 5000 } }
            """);

        // Reserves: 1,000,000 USD cash liquid at once and 500,000 USD of T-bills 30 days out, beyond LiquidityDays (2).
        const long liquidUsd = 1_000_000;
        await File.WriteAllTextAsync(daemon.ReservesPath, $$"""
            {"custodian":"Bank A","asOf":"{{TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","attestation":"test",
             "accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"{{liquidUsd}}","bank":"Bank A","daysToLiquidity":0},
                         {"id":"tb-1","assetClass":"tbills","currency":"USD","amount":"500000","bank":"Bank A","daysToLiquidity":30}]}
            """);

        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            Targets = [new Uri(daemon.Url, "/metrics")],
            RuleFiles = [RepoPaths.PrometheusRules],
            Alertmanager = alertmanager.Url,
            RuleForOverride = TimeSpan.Zero,
        });
        var reports = new SqliteReconciliationStore(daemon.Store);

        // Before the burst: only the Solana seed mint is in the window (net −100,000 USD), nothing pages.
        var before = await WaitForRunRiskAsync(reports, r => Net(r, "total", "48h") == -100_000m && Dec(r, "liquidUsd") == liquidUsd, TimeSpan.FromSeconds(90));
        Assert.Multiple(() =>
        {
            Assert.That(Net(before, "anvil", "48h"), Is.Zero, "anvil's seed mint is three days old: outside the 48 h window");
            Assert.That(before.GetProperty("runwayDays").ValueKind, Is.EqualTo(JsonValueKind.Null), "nothing redeemed net: the runway is unbounded");
        });
        await prometheus.WaitForAsync("usd1_redemption_surge_threshold_ratio{window=\"48h\",basis=\"supply\"}", r => r.Samples.Count == 1 && Math.Abs(r.Single - 0.1) < 1e-9, TimeSpan.FromSeconds(30));
        Assert.That(webhook.Alerts.Where(a => a.Labels.GetValueOrDefault("alertname") == "RedemptionSurge"), Is.Empty, "no surge before the burst");

        // The burst: two burns on Solana, then three on anvil, odd base units so the figures are exact to the unit. The
        // threshold is crossed by the last burn only (net −20,000 → −10,000 → 10,000 → 285,000.123456 USD), so the
        // alert fires on the final figures; the Solana burns are seen final before anvil's land, for the same reason.
        ulong[] solanaBurns = [50_000 * (ulong)Unit, 30_000 * (ulong)Unit];
        BigInteger[] anvilBurns = [10_000 * Unit, 20_000 * Unit, (275_000 * Unit) + 123_456];
        foreach (var burn in solanaBurns)
        {
            await spl.BurnAsync(burn);
        }

        await devnet.AdvanceSlotsAsync(10);
        await WaitForRunRiskAsync(reports, r => Net(r, "solana", "48h") == -20_000m, TimeSpan.FromSeconds(90));
        foreach (var burn in anvilBurns)
        {
            await chain.BurnOwnAsync(token, burn);
        }

        // Hand computation, in base units (both networks have 6 decimals, so units add up across them).
        var anvilNet = anvilBurns.Aggregate(BigInteger.Zero, (s, b) => s + b);
        var solanaNet = solanaBurns.Aggregate(BigInteger.Zero, (s, b) => s + b) - solanaSeed;
        var totalNet = anvilNet + solanaNet; // 285,000.123456 USD
        var circulating = anvilSeed - anvilNet + (solanaSeed - solanaBurns.Aggregate(BigInteger.Zero, (s, b) => s + b));
        var liquidUnits = liquidUsd * (BigInteger)Unit;
        // Runway = liquid × window ÷ (net × 1 day) with a 2-day window, in hundredths, rounded down: 7.0175… → 7.01.
        var runwayHundredths = BigInteger.Divide(liquidUnits * 2 * 100, totalNet);
        var expectedRunway = $"{runwayHundredths / 100}.{(int)(runwayHundredths % 100):00}";
        var expectedSupplyBps = (long)BigInteger.Divide(totalNet * 10_000, circulating);
        var expectedLiquidBps = (long)BigInteger.Divide(totalNet * 10_000, liquidUnits);
        Assert.That(expectedRunway, Is.EqualTo("7.01"), "the amounts were chosen so rounding down differs from rounding to nearest (7.02)");

        var after = await WaitForRunRiskAsync(reports, r => Net(r, "total", "48h") == ToUsd(totalNet), TimeSpan.FromSeconds(120));
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("runwayWindow").GetString(), Is.EqualTo("48h"));
            Assert.That(Net(after, "anvil", "48h"), Is.EqualTo(ToUsd(anvilNet)));
            Assert.That(Net(after, "solana", "48h"), Is.EqualTo(ToUsd(solanaNet)), "the Solana seed mint is in the window and offsets its burns");
            Assert.That(Dec(after, "runwayNetUsd"), Is.EqualTo(ToUsd(totalNet)));
            Assert.That(Dec(after, "liquidUsd"), Is.EqualTo((decimal)liquidUsd), "the T-bills 30 days out are not liquid");
            Assert.That(after.GetProperty("runwayDays").GetString(), Is.EqualTo(expectedRunway));
            Assert.That(Window(after, "total", "48h").GetProperty("shareOfCirculatingBps").GetInt64(), Is.EqualTo(expectedSupplyBps));
            Assert.That(after.GetProperty("shareOfLiquidBps").GetInt64(), Is.EqualTo(expectedLiquidBps));
        });

        var (_, alert) = await webhook.WaitForAlertAsync("RedemptionSurge", TimeSpan.FromSeconds(90));
        Assert.Multiple(() =>
        {
            Assert.That(alert.Labels["severity"], Is.EqualTo("page"));
            Assert.That(alert.Labels["window"], Is.EqualTo("48h"));
            Assert.That(alert.Labels["basis"], Is.EqualTo("supply"), $"{expectedSupplyBps} bps of supply is above 1000; {expectedLiquidBps} bps of liquid reserves is below 5000");
            Assert.That(alert.Annotations["summary"], Does.Contain("over 48h").And.Contain("of supply"));
            Assert.That(alert.Annotations["description"], Does.Contain("above the configured 10%"));
            Assert.That(alert.Annotations["description"], Does.Contain($"liquidity runway {expectedRunway} days"));
            Assert.That(alert.Annotations["runbook_url"], Does.EndWith("RedemptionSurge.md"));
        });

        var runway = await prometheus.WaitForAsync("usd1_liquidity_runway_days", r => r.Samples.Count == 1, TimeSpan.FromSeconds(30));
        var ratio = await prometheus.QueryAsync("usd1_net_redemptions_ratio{network=\"total\",window=\"48h\",basis=\"supply\"}");
        Assert.Multiple(() =>
        {
            Assert.That(runway.Single, Is.EqualTo((double)runwayHundredths / 100).Within(1e-9), "the exported runway is the stored one");
            Assert.That(ratio.Single, Is.EqualTo(expectedSupplyBps / 10_000.0).Within(1e-9));
            Assert.That(webhook.Alerts.Where(a => a.Labels.GetValueOrDefault("alertname") == "RedemptionSurge" && a.Labels.GetValueOrDefault("basis") == "liquid_reserves"),
                Is.Empty, "28% of liquid reserves stays under the 50% basis");
        });
    }

    /// <summary>Polls the newest conclusive report until its runRisk satisfies <paramref name="until"/>; returns a clone of that object.</summary>
    private static async Task<JsonElement> WaitForRunRiskAsync(SqliteReconciliationStore reports, Func<JsonElement, bool> until, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        var last = "(no conclusive report)";
        while (elapsed.Elapsed < timeout)
        {
            if (await reports.GetLatestConclusiveReportAsync(CancellationToken.None) is { } stored)
            {
                using var document = JsonDocument.Parse(stored.Canonical);
                last = stored.Canonical;
                if (document.RootElement.TryGetProperty("runRisk", out var risk) && until(risk))
                {
                    return risk.Clone();
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }

        Assert.Fail($"no conclusive report reached the expected run risk within {timeout}; last: {last}");
        throw new UnreachableException();
    }

    private static JsonElement Window(JsonElement risk, string network, string window) =>
        risk.GetProperty("netRedemptions").EnumerateArray()
            .Single(n => n.GetProperty("network").GetString() == network && n.GetProperty("window").GetString() == window);

    private static decimal Net(JsonElement risk, string network, string window) =>
        decimal.Parse(Window(risk, network, window).GetProperty("netUsd").GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static decimal Dec(JsonElement risk, string property) =>
        decimal.Parse(risk.GetProperty(property).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static decimal ToUsd(BigInteger units) => (decimal)units / Unit;
}
