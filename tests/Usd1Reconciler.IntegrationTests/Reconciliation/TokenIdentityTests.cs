using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Reconciliation;

/// <summary>
/// Decimals are immutable (issue 12 item 2): the chain's decimals are re-checked against the stored ones; a difference
/// is a page (anomaly TokenIdentityChanged) and an untrusted input, never a silent change of scale.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TokenIdentityTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<string> QueryAsync(string storePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={storePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task ReconcileOnce_ChainDecimalsDifferFromStored_InconclusiveAndPagedThenResolvedWhenTheyAgree()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        using var dir = new TempDirectory("identity");
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,2.5,Bank A,0\n");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{token}}}","Confirmations":0}],
             "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv"}]},
             "Logging":{"Level":"Warning"}}
            """);
        var store = dir.File("store.db");
        Assert.That((await RunAsync("index", "--config", config, "--once")).Exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(await QueryAsync(store, "SELECT token_decimals || ' ' || token_symbol FROM networks"), Is.EqualTo("6 USD1"), "decimals and symbol stored at the first pass");

        // As if the stored scale were 18 while the token answers 6 (the same as a token upgraded to another scale).
        await QueryAsync(store, "UPDATE networks SET token_decimals = 18");
        var changed = await RunAsync("reconcile", "--config", config, "--once");

        Assert.Multiple(async () =>
        {
            Assert.That(changed.Exit, Is.EqualTo(ExitCodes.Inconclusive), "a changed scale makes the input untrusted: " + changed.Out + changed.Err);
            Assert.That(changed.Out, Does.Contain("token identity changed on the chain (decimals 18 -> 6)"));
            Assert.That(await QueryAsync(store, "SELECT token_decimals FROM networks"), Is.EqualTo("18"), "the stored identity is never overwritten by a later read");
            Assert.That(await QueryAsync(store, "SELECT COUNT(*) FROM anomalies WHERE rule = 'TokenIdentityChanged' AND resolved_at IS NULL"), Is.EqualTo("1"), "paged as an open condition");
        });

        await QueryAsync(store, "UPDATE networks SET token_decimals = 6");
        var agreed = await RunAsync("reconcile", "--config", config, "--once");
        var open = await QueryAsync(store, "SELECT COUNT(*) FROM anomalies WHERE rule = 'TokenIdentityChanged' AND resolved_at IS NULL");
        var mismatch = await QueryAsync(store, "SELECT IFNULL(token_identity_mismatch, '-') FROM networks");
        SqliteConnection.ClearAllPools();
        Assert.That(agreed.Exit, Is.EqualTo(ExitCodes.Ok), agreed.Out + agreed.Err);
        Assert.That(open, Is.EqualTo("0"), "the condition resolves when the chain agrees with the stored identity");
        Assert.That(mismatch, Is.EqualTo("-"));
    }
}
