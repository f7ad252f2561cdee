using System.Text.Json;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>
/// One pass policy (issue 12 item 4): `reconcile --once` records its passes' failure and success like `index` and the
/// scheduled job, so a network that failed earlier is current again once the chain is back; and token decimals are
/// stored at the first pass, so an outage afterwards cannot make base units pass for dollars.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PassPolicyTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<string> WriteConfigAsync(TempDirectory dir, string name, AnvilNode anvil, string rpcUrl, string token)
    {
        var path = dir.File(name);
        await File.WriteAllTextAsync(path, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{rpcUrl}}}"],"Token":"{{{token}}}","Confirmations":0,"RequestTimeout":"00:00:02"}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv"}]},
             "Logging":{"Level":"Warning"}}
            """);
        return path;
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task ReconcileOnce_AfterFailingNetworkRecovers_CoveredAndDecimalsKeptThroughTheOutage()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        using var dir = new TempDirectory("passes");
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,2.5,Bank A,0\n");
        var up = await WriteConfigAsync(dir, "up.json", anvil, anvil.Url.ToString(), token);
        // The same network and store with its only endpoint gone (nothing listens on port 1): an RPC outage.
        var down = await WriteConfigAsync(dir, "down.json", anvil, "http://127.0.0.1:1", token);
        var store = SqliteSupplyStore.Open(dir.File("store.db"), TimeProvider.System);

        var indexed = await RunAsync("index", "--config", up, "--once");
        Assert.That(indexed.Exit, Is.EqualTo(ExitCodes.Ok), indexed.Err);
        Assert.That((await store.GetTokenIdentityAsync("anvil", CancellationToken.None))?.Decimals, Is.EqualTo(6), "decimals are stored at the first successful pass");

        var failed = await RunAsync("index", "--config", down, "--once");
        Assert.That(failed.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().FailingSince, Is.Not.Null, "index records the failed pass");

        // During the outage (a new process: nothing cached in memory) the report still knows the token's scale.
        var duringOutage = await RunAsync("reconcile", "--config", down, "--once", "--json");
        Assert.That(duringOutage.Exit, Is.EqualTo(ExitCodes.Inconclusive), duringOutage.Err);
        using (var json = JsonDocument.Parse(duringOutage.Out))
        {
            var decimals = FindAll(json.RootElement, "decimals").ToList();
            Assert.That(decimals, Is.Not.Empty.And.All.EqualTo(6), "the stored decimals, not 0 from a failed read: " + duringOutage.Out);
        }

        var recovered = await RunAsync("reconcile", "--config", up, "--once");
        var failingAfter = (await store.GetSupplyAsync(CancellationToken.None)).Single().FailingSince;
        SqliteConnection.ClearAllPools();
        Assert.That(recovered.Exit, Is.EqualTo(ExitCodes.Ok), "the chain is back and the pass succeeded: Covered. " + recovered.Out + recovered.Err);
        Assert.That(failingAfter, Is.Null, "reconcile --once records the successful pass, ending the outage");
    }

    private static IEnumerable<int> FindAll(JsonElement element, string property)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (p.NameEquals(property) && p.Value.ValueKind == JsonValueKind.Number)
                {
                    yield return p.Value.GetInt32();
                }

                foreach (var inner in FindAll(p.Value, property))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in FindAll(item, property))
                {
                    yield return inner;
                }
            }
        }
    }
}
