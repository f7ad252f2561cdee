using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>Point-in-time mode: supply as it stood at a custodian attestation's as-of time, on a real anvil.</summary>
[TestFixture]
[Category("Integration")]
public sealed class PointInTimeTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), time).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task ReconcileAtFeedTime_LaterMintsExcluded_CoveredAtThatBlockWhileNowIsShort()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 3_000_000);
        var mintBlock = await chain.HeadAsync();
        var mintTime = (await new EvmRpcClient(anvil.Rpc).eth_getBlockByNumber(mintBlock, CancellationToken.None))!.Timestamp;
        // An hour later on chain, 2 USD more are minted: after the attestation, so not in its reconciliation.
        await anvil.CallAsync("evm_increaseTime", 3600);
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);

        using var dir = new TempDirectory("pit");
        var time = new FakeTimeProvider(mintTime.AddSeconds(3700));
        var attestedAt = mintTime.AddSeconds(60);
        await File.WriteAllTextAsync(dir.File("reserves.json"),
            $$"""{"custodian":"Trust Co","asOf":"{{attestedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"3","bank":"Bank A","daysToLiquidity":0}]}""");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0}],
             "Reserves":{"Feeds":[{"Name":"custodian","Kind":"File","Path":"reserves.json","StaleAfter":"02:00:00"}]}}
            """);

        var now = await RunAsync(time, "reconcile", "--config", config, "--once", "--json");
        Assert.That(now.Exit, Is.EqualTo(ExitCodes.Undercollateralized), "5 USD circulate now against 3 USD attested: " + now.Out + now.Err);

        var atFeed = await RunAsync(time, "reconcile", "--config", config, "--once", "--json", "--at", "feed:custodian");
        Assert.That(atFeed.Exit, Is.EqualTo(ExitCodes.Ok), atFeed.Out + atFeed.Err);
        using var json = JsonDocument.Parse(atFeed.Out);
        var report = json.RootElement.GetProperty("report");
        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("kind").GetString(), Is.EqualTo("point_in_time"));
            Assert.That(report.GetProperty("verdict").GetString(), Is.EqualTo("covered"));
            Assert.That(report.GetProperty("circulatingSupplyUsd").GetString(), Is.EqualTo("3"), "only the mint before the attestation counts");
            Assert.That(report.GetProperty("networks")[0].GetProperty("block").GetInt64(), Is.EqualTo(mintBlock), "the last block at or before the as-of time");
            Assert.That(report.GetProperty("networks")[0].GetProperty("ledgerProof").GetString(), Is.EqualTo("ok"), "totalSupply at that block equals the events up to it");
        });

        var beforeAnything = await RunAsync(time, "reconcile", "--config", config, "--once", "--at", "not-a-time");
        Assert.That(beforeAnything.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration));
        Assert.That(beforeAnything.Err, Does.Contain("--at 'not-a-time'"));
    }
}
