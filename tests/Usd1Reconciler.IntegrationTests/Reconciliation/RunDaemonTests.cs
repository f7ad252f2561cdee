using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>`usd1rec run` really runs Quartz: index, poll and a second-level reconcile cron produce chained reports.</summary>
[TestFixture]
[Category("Integration")]
public sealed class RunDaemonTests
{
    [Test]
    public async Task Run_SecondLevelCronForFifteenSeconds_IndexesPollsAndWritesCoveredReports()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        using var dir = new TempDirectory("run");
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,1.5,Bank A,0\nTrust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},tb-1,tbills,USD,0.5,Bank B,30\n");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0,"PollInterval":"00:00:01"}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv","PollInterval":"00:00:01"}]},
             "Reconciliation":{"Schedule":"*/3 * * ? * *"},
             "Logging":{"Level":"Warning"}}
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["run", "--config", config]).InvokeAsync(null, stop.Token);

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(dir.File("store.db"), TimeProvider.System));
        var (reports, anchor) = await store.GetChainAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        Assert.Multiple(() =>
        {
            Assert.That(reports, Has.Count.GreaterThanOrEqualTo(3), "a 3-second cron over 15 seconds fires about five times");
            Assert.That(reports.Select(r => r.Kind), Is.All.EqualTo("scheduled"));
            Assert.That(reports[^1].Verdict, Is.EqualTo("covered"), "once the index job proved the ledger and the poll job accepted the statement, 2 USD back 2 USD");
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty, "scheduled reports chain like any other");
        });
    }
}
