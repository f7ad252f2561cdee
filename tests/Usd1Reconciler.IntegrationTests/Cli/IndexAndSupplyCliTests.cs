using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>The two verbs users and acceptance checks drive, run in-process against real anvils.</summary>
[TestFixture]
[Category("Integration")]
public sealed class IndexAndSupplyCliTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static string EvmNetwork(string name, AnvilNode node, string token, long chainId, int confirmations = 0) =>
        $$"""{"Name":"{{name}}","Kind":"Evm","ChainId":{{chainId}},"RpcUrls":["{{node.Url}}"],"Token":"{{token}}","StartBlock":0,"Confirmations":{{confirmations}}}""";

    [Test]
    public async Task IndexOnceThenSupplyJson_TwoAnvilsWithDifferentChainIds_TotalIsTheSum()
    {
        await using var a = await AnvilNode.StartAsync(chainId: 31337);
        await using var b = await AnvilNode.StartAsync(chainId: 31338);
        var chainA = new EvmTestChain(a);
        var chainB = new EvmTestChain(b);
        var tokenA = await chainA.DeployUsd1Async();
        var tokenB = await chainB.DeployPlainAsync();
        await chainA.MintAsync(tokenA, EvmTestChain.Alice, 3_000_000);
        await chainA.BurnOwnAsync(tokenA, 0);
        await chainB.MintAsync(tokenB, EvmTestChain.Bob, 1_500_000);
        await chainB.PlainBurnAsync(tokenB, EvmTestChain.Bob, 500_000);
        using var dir = new TempDirectory("cli");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Storage":{"Path":"store.db"},"Networks":[{{EvmNetwork("anvil-a", a, tokenA, 31337)}},{{EvmNetwork("anvil-b", b, tokenB, 31338)}}]}
            """);

        var index = await RunAsync("index", "--config", config, "--once");
        Assert.That(index.Exit, Is.Zero, index.Err);
        Assert.That(index.Out, Does.Contain("network anvil-a:").And.Contain("network anvil-b:").And.Contain("ledger proof ok"));

        var supply = await RunAsync("supply", "--config", config, "--json");
        Assert.That(supply.Exit, Is.Zero, supply.Err);
        using var json = JsonDocument.Parse(supply.Out);
        var networks = json.RootElement.GetProperty("networks").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        var onchainA = await chainA.TotalSupplyAsync(tokenA);
        var onchainB = await chainB.TotalSupplyAsync(tokenB);
        Assert.Multiple(() =>
        {
            Assert.That(networks["anvil-a"].GetProperty("indexedSupply").GetString(), Is.EqualTo(onchainA.ToString()));
            Assert.That(networks["anvil-a"].GetProperty("onchainSupply").GetString(), Is.EqualTo(onchainA.ToString()));
            Assert.That(networks["anvil-a"].GetProperty("ledgerProof").GetString(), Is.EqualTo("ok"));
            Assert.That(networks["anvil-a"].GetProperty("mints").GetInt64(), Is.EqualTo(1));
            Assert.That(networks["anvil-a"].GetProperty("burns").GetInt64(), Is.EqualTo(1), "a burn of zero is still a burn event");
            Assert.That(networks["anvil-b"].GetProperty("indexedSupply").GetString(), Is.EqualTo(onchainB.ToString()));
            Assert.That(networks["anvil-b"].GetProperty("finalBlock").GetInt64(), Is.GreaterThan(0));
            Assert.That(networks["anvil-b"].GetProperty("reorgs").GetInt64(), Is.Zero);
            Assert.That(json.RootElement.GetProperty("totalSupply").GetString(), Is.EqualTo((onchainA + onchainB).ToString()));
        });
        Assert.That(BigInteger.Parse(networks["anvil-a"].GetProperty("provisionalSupply").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(onchainA));
    }

    [Test]
    public async Task IndexOnceThenSupplyJson_EvmAndSolanaInOneRun_TotalIsTheSum()
    {
        await using var anvil = await AnvilNode.StartAsync();
        await using var solana = await SolanaDevnetFixture.StartAsync(finalityLag: 4);
        var evm = new EvmTestChain(anvil);
        var token = await evm.DeployUsd1Async();
        await evm.MintAsync(token, EvmTestChain.Alice, 7_000_000);
        using var spl = await SolanaDriver.SetupAsync(solana);
        await spl.MintAsync(2_000_000);
        await spl.BurnAsync(250_000, isChecked: true);
        await solana.AdvanceSlotsAsync(10);
        using var dir = new TempDirectory("cli");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Storage":{"Path":"store.db"},"Networks":[{{EvmNetwork("anvil", anvil, token, 31337)}},
             {"Name":"solana-local","Kind":"Solana","RpcUrls":["{{solana.Url}}"],"Mint":"{{spl.Mint}}","Commitment":"confirmed"}]}
            """);

        var index = await RunAsync("index", "--config", config, "--once");
        Assert.That(index.Exit, Is.Zero, index.Err);
        var supply = await RunAsync("supply", "--config", config, "--json");

        using var json = JsonDocument.Parse(supply.Out);
        var networks = json.RootElement.GetProperty("networks").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(networks["anvil"].GetProperty("ledgerProof").GetString(), Is.EqualTo("ok"));
            Assert.That(networks["solana-local"].GetProperty("ledgerProof").GetString(), Is.EqualTo("ok"), index.Out);
            Assert.That(networks["solana-local"].GetProperty("indexedSupply").GetString(), Is.EqualTo("1750000"));
            Assert.That(networks["solana-local"].GetProperty("mints").GetInt64(), Is.EqualTo(1));
            Assert.That(networks["solana-local"].GetProperty("burns").GetInt64(), Is.EqualTo(1));
            Assert.That(json.RootElement.GetProperty("totalSupply").GetString(), Is.EqualTo("8750000"), "7,000,000 on anvil plus 1,750,000 on Solana");
        });
    }

    [Test]
    public async Task IndexOnce_ConfiguredChainIdWrong_ExitsNonZeroWithClearMessage()
    {
        await using var node = await AnvilNode.StartAsync(chainId: 31337);
        var token = await new EvmTestChain(node).DeployUsd1Async();
        using var dir = new TempDirectory("cli");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Path":"store.db"},"Networks":[{{EvmNetwork("mainnet", node, token, 1)}}]}""");

        var index = await RunAsync("index", "--config", config, "--once");

        Assert.That(index.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(index.Err, Does.Contain("network 'mainnet'").And.Contain("configured ChainId 1").And.Contain("reports chain id 31337"));
        Assert.That(index.Err.Split("network 'mainnet'").Length - 1, Is.EqualTo(1), "the network is named once, not twice: " + index.Err);
    }

    [Test]
    public async Task Index_BrokenConfig_ExitCodeTwoOneLinePerProblemNothingWritten()
    {
        using var dir = new TempDirectory("cli");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, """
            {"Storage":{"Path":"store.db"},"Networks":[
              {"Name":"a","Kind":"Evm","ChainId":1,"RpcUrls":[],"Token":"0x1111111111111111111111111111111111111111"},
              {"Name":"b","Kind":"Evm","RpcUrls":["http://127.0.0.1:1"],"Token":"nope"}]}
            """);

        var index = await RunAsync("index", "--config", config, "--once");

        Assert.That(index.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration));
        var lines = index.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Some.EqualTo("Networks:0:RpcUrls: at least one RPC URL is required"));
        Assert.That(lines, Has.Some.StartsWith("Networks:1:ChainId:"));
        Assert.That(lines, Has.Some.StartsWith("Networks:1:Token:"));
        Assert.That(File.Exists(dir.File("store.db")), Is.False, "a bad configuration must not create or touch the store");
    }

    [Test]
    public async Task Supply_StoreNeverIndexed_ClearErrorNotZeroes()
    {
        using var dir = new TempDirectory("cli");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, """{"Storage":{"Path":"store.db"},"Networks":[{"Name":"a","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:1"],"Token":"0x1111111111111111111111111111111111111111"}]}""");

        var supply = await RunAsync("supply", "--config", config, "--json");

        Assert.That(supply.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(supply.Err, Does.Contain("no store at").And.Contain("index"));
    }
}
