using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// Decimals are immutable (issue 12 item 2): a daemon restarted while every RPC endpoint is down still shows supply in
/// tokens from the decimals stored before the outage — the gauges neither drop to 0 nor vanish.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DaemonRestartDuringOutageTests
{
    private static async Task<(IHost Host, Uri Url)> StartAsync(string configPath)
    {
        var loaded = ConfigLoader.Load(configPath);
        var host = DaemonHost.Build(loaded, SqliteSupplyStore.Open(loaded.StoragePath, TimeProvider.System), TimeProvider.System);
        await host.StartAsync();
        return (host, host.Services.GetRequiredService<ObservabilityServer>().BoundAddress!);
    }

    private static async Task<string> MetricsAsync(Uri url)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(url, "/metrics"));
    }

    private static Task WriteConfigAsync(string path, string rpcUrl, AnvilNode node, string token) =>
        File.WriteAllTextAsync(path, $$$"""
            {"Storage":{"Path":"store.db"},"Http":{"Listen":"127.0.0.1:0"},"Logging":{"Level":"Warning"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{node.ChainId}}},"RpcUrls":["{{{rpcUrl}}}"],"Token":"{{{token}}}","Confirmations":0,"PollInterval":"00:00:00.250","RequestTimeout":"00:00:02"}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv","PollInterval":"00:00:00.500"}]},
             "Reconciliation":{"Schedule":"* * * * * ?"}}
            """);

    [Test]
    [CancelAfter(180_000)]
    public async Task Run_RestartedWhileEveryEndpointIsDown_SupplyGaugesStillInTokens()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_500_000);
        using var dir = new TempDirectory("restart");
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,2,Bank A,0\n");
        var config = dir.File("config.json");
        await WriteConfigAsync(config, node.Url.ToString(), node, token);

        var (before, beforeUrl) = await StartAsync(config);
        try
        {
            await DaemonAlertingTests.WaitUntilAsync(async () => (await MetricsAsync(beforeUrl)).Contains("usd1_supply_tokens{network=\"anvil\",kind=\"indexed\"} 1.5", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "1.5 tokens indexed while the node answers");
        }
        finally
        {
            await before.StopAsync();
            before.Dispose();
        }

        // Restart with the network's only endpoint gone (nothing listens on port 1).
        await WriteConfigAsync(config, "http://127.0.0.1:1", node, token);
        var (after, afterUrl) = await StartAsync(config);
        try
        {
            await DaemonAlertingTests.WaitUntilAsync(async () => (await MetricsAsync(afterUrl)).Contains("usd1_network_stale{network=\"anvil\"} 1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the restarted daemon has failed a pass and calls the network stale");
            var metrics = await MetricsAsync(afterUrl);
            Assert.Multiple(() =>
            {
                Assert.That(metrics, Does.Contain("usd1_supply_tokens{network=\"anvil\",kind=\"indexed\"} 1.5"), "stored decimals: tokens, neither base units nor a vanished series");
                Assert.That(metrics, Does.Contain("usd1_total_supply_tokens{kind=\"indexed\"} 1.5"), "the total does not drop to 0 in an outage");
                Assert.That(metrics, Does.Contain("usd1_token_decimals{network=\"anvil\"} 6"));
            });
        }
        finally
        {
            await after.StopAsync();
            after.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }
}
