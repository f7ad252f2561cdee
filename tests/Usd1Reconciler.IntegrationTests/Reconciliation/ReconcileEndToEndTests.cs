using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>`reconcile --once` and `report` end to end: a real anvil, a USD1 token, a dropped reserve file, the CLI in-process.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ReconcileEndToEndTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), time).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static string Reserves(DateTimeOffset asOf, string amount) =>
        $$"""{"custodian":"Trust Co","asOf":"{{asOf:yyyy-MM-ddTHH:mm:ssZ}}","attestation":"att","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"{{amount}}","bank":"Bank A","daysToLiquidity":0}]}""";

    [Test]
    public async Task ReconcileOnce_MintPastReservesThenFeedStops_UndercollateralizedThenInconclusiveAndChainDetectsTampering()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 3_000_000);
        await chain.MintAsync(token, EvmTestChain.Bob, 5_000_000);
        using var dir = new TempDirectory("reconcile");
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var feedFile = dir.File("reserves.json");
        await File.WriteAllTextAsync(feedFile, Reserves(time.GetUtcNow().AddMinutes(-1), "3.000000"));
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0,
                          "ExcludedHolders":[{"Address":"{{{EvmTestChain.Bob}}}","Label":"treasury"}]}],
             "Reserves":{"Feeds":[{"Name":"custodian","Kind":"File","Path":"reserves.json","StaleAfter":"00:10:00"}]},
             "Reconciliation":{"LiquidityShareBps":2000}}
            """);

        var covered = await RunAsync(time, "reconcile", "--config", config, "--once", "--json");
        Assert.That(covered.Exit, Is.EqualTo(ExitCodes.Ok), covered.Out + covered.Err);
        using (var json = JsonDocument.Parse(covered.Out))
        {
            var report = json.RootElement.GetProperty("report");
            Assert.Multiple(() =>
            {
                Assert.That(report.GetProperty("verdict").GetString(), Is.EqualTo("covered"));
                Assert.That(report.GetProperty("circulatingSupplyUsd").GetString(), Is.EqualTo("3"), "8 USD minted, 5 USD sit in the excluded treasury");
                Assert.That(report.GetProperty("networks")[0].GetProperty("excluded")[0].GetProperty("balance").GetString(), Is.EqualTo("5000000"), "the treasury balance is read at the proof's block");
                Assert.That(report.GetProperty("feeds")[0].GetProperty("snapshot").GetProperty("contentSha256").GetString(), Has.Length.EqualTo(64));
            });
        }

        await chain.MintAsync(token, EvmTestChain.Alice, 1_500_000);
        var shortBy = await RunAsync(time, "reconcile", "--config", config, "--once", "--json");
        Assert.That(shortBy.Exit, Is.EqualTo(ExitCodes.Undercollateralized), shortBy.Out + shortBy.Err);
        using (var json = JsonDocument.Parse(shortBy.Out))
        {
            var report = json.RootElement.GetProperty("report");
            Assert.Multiple(() =>
            {
                Assert.That(report.GetProperty("verdict").GetString(), Is.EqualTo("undercollateralized"));
                Assert.That(report.GetProperty("shortfallUsd").GetString(), Is.EqualTo("1.5"), "4.5 USD circulate against 3 USD of reserves");
                Assert.That(report.GetProperty("coverageBps").GetInt64(), Is.EqualTo(6666));
            });
        }

        // The feed stops: the file is gone and time passes beyond its 10-minute budget; the chain keeps being proven.
        File.Delete(feedFile);
        time.Advance(TimeSpan.FromMinutes(10));
        var stale = await RunAsync(time, "reconcile", "--config", config, "--once");
        Assert.That(stale.Exit, Is.EqualTo(ExitCodes.Inconclusive), stale.Out + stale.Err);
        Assert.That(stale.Out, Does.Contain("INCONCLUSIVE").And.Contain("input: feed custodian: snapshot 1").And.Contain("beyond its budget"),
            "the report names the stale input");
        Assert.That(stale.Out, Does.Not.Contain("input: network"), "the network was re-proven in the same cycle; only the feed is stale");

        var list = await RunAsync(time, "report", "list", "--config", config);
        Assert.That(list.Out, Does.Contain("covered").And.Contain("undercollateralized").And.Contain("inconclusive"));
        var verify = await RunAsync(time, "report", "verify", "--config", config);
        Assert.That(verify.Exit, Is.EqualTo(ExitCodes.Ok), verify.Err);
        Assert.That(verify.Out, Does.Contain("chain intact: 3 reports"));
        foreach (var format in new[] { "json", "csv", "md" })
        {
            var export = await RunAsync(time, "report", "export", "--config", config, "--format", format);
            Assert.That(export.Out, Does.Contain("undercollateralized"), $"export as {format} carries every report");
        }

        await using (var connection = new SqliteConnection($"Data Source={dir.File("store.db")};Pooling=False"))
        {
            await connection.ExecuteAsync("UPDATE reconciliation_reports SET verdict = 'covered', canonical = replace(canonical, '\"undercollateralized\"', '\"covered\"') WHERE id = 2");
        }

        var tampered = await RunAsync(time, "report", "verify", "--config", config);
        Assert.Multiple(() =>
        {
            Assert.That(tampered.Exit, Is.EqualTo(ExitCodes.Failure), "an edited report must fail verification");
            Assert.That(tampered.Err, Does.Contain("report 2: content hashes to"));
        });
        SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task ReconcileOnce_SolanaTreasuryTokenAccountExcluded_CirculatingIsTheRestToTheBaseUnit()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync(finalityLag: 4);
        using var spl = await SolanaDriver.SetupAsync(devnet);
        await spl.MintAsync(2_000_000);
        await spl.TransferAsync(10);
        await devnet.AdvanceSlotsAsync(10);
        using var dir = new TempDirectory("reconcile-solana");
        var time = TimeProvider.System;
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(dir.File("reserves.json"), Reserves(time.GetUtcNow().AddMinutes(-1), "0.000009"));
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"solana","Kind":"Solana","RpcUrls":["{{{devnet.Url}}}"],"Mint":"{{{spl.Mint}}}",
                          "ExcludedHolders":[{"Address":"{{{spl.TokenAccount}}}","Label":"treasury"}]}],
             "Reserves":{"Feeds":[{"Name":"custodian","Kind":"File","Path":"reserves.json"}]},
             "Reconciliation":{"LiquidityShareBps":0}}
            """);

        var result = await RunAsync(time, "reconcile", "--config", config, "--once", "--json");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Undercollateralized), result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var report = json.RootElement.GetProperty("report");
        var network = report.GetProperty("networks")[0];
        Assert.Multiple(() =>
        {
            Assert.That(network.GetProperty("excluded")[0].GetProperty("balance").GetString(), Is.EqualTo("1999990"), "the treasury account's balance, read at the proof's slot");
            Assert.That(network.GetProperty("circulating").GetString(), Is.EqualTo("10"), "only the 10 base units transferred out circulate");
            Assert.That(report.GetProperty("circulatingSupplyUsd").GetString(), Is.EqualTo("0.00001"), "6 decimals: 10 base units are 0.00001 USD");
            Assert.That(report.GetProperty("shortfallUsd").GetString(), Is.EqualTo("0.000001"), "one base unit short of 0.000009 USD of reserves");
        });
    }
}
