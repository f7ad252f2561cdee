using System.Text.Json;
using Dapper;
using Npgsql;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Devnet;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Governance;

/// <summary>
/// The control plane on the PostgreSQL store, end to end and cheap: one cluster and one anvil for the fixture, one
/// index pass (`usd1rec index --once`, which takes the network's writer lease as the daemon does) over a role granted
/// outside the policy, then the governance verbs read it back from PostgreSQL with its drift, its tx and its proof.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgresGovernanceCliTests
{
    private const string MinterRole = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";
    private const string Outsider = AnvilDevAccounts.Account3;

    private PostgresServer _server = null!;
    private AnvilNode _node = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await PostgresServer.StartAsync();
        _node = await AnvilNode.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _node.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task GovernanceJson_AfterAnIndexPassOverARoleGrantOnPostgres_ShowsTheGrantItsDriftAndAProof()
    {
        var chain = new EvmTestChain(_node);
        var token = await chain.DeployUsd1Async();
        var grant = (await chain.SendAsync(EvmTestChain.Deployer, token, Abi.Call("grantRole(bytes32,address)", RoleWord(MinterRole), Outsider)))
            .GetProperty("transactionHash").GetString()!.ToLowerInvariant();
        var connectionString = await _server.CreateDatabaseAsync("governance_cli");
        using var directory = new TempDirectory("pg-governance");
        await File.WriteAllTextAsync(directory.File("pg.secret"), connectionString);
        var config = directory.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Storage": { "Provider": "Postgres", "ConnectionStringFile": "pg.secret" },
              "Networks": [ { "Name": "anvil", "Kind": "Evm", "ChainId": {{_node.ChainId}}, "RpcUrls": ["{{_node.Url}}"], "Token": "{{token}}", "Confirmations": 0,
                "Governance": { "RoleHolders": { "MINTER_ROLE": ["{{EvmTestChain.Deployer}}"] } } } ] }
            """);

        var index = await RunCliAsync("index", "--once", "--config", config);
        Assert.That(index.Exit, Is.EqualTo(ExitCodes.Ok), index.Err);
        var governance = await RunCliAsync("governance", "--config", config, "--json");
        var log = await RunCliAsync("governance", "log", "--config", config, "--format", "json");

        Assert.That(governance.Exit, Is.EqualTo(ExitCodes.Ok), governance.Err);
        var network = JsonDocument.Parse(governance.Out).RootElement.GetProperty("networks").EnumerateArray().Single();
        var holders = network.GetProperty("state").GetProperty("roles").EnumerateObject().SelectMany(r => r.Value.EnumerateArray().Select(h => h.GetString())).ToList();
        var drift = network.GetProperty("drift").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(network.GetProperty("name").GetString(), Is.EqualTo("anvil"));
            Assert.That(holders, Does.Contain(Outsider), "the folded state holds the grant read back from PostgreSQL");
            Assert.That(drift.Select(d => d.GetProperty("tx").GetString()), Does.Contain(grant), "the grant outside the policy is drift, naming its tx");
            Assert.That(network.GetProperty("governanceProof").GetString(), Is.EqualTo("ok"), "the pass proved the final state against hasRole at the final block");
        });

        Assert.That(log.Exit, Is.EqualTo(ExitCodes.Ok), log.Err);
        var changes = JsonDocument.Parse(log.Out).RootElement.GetProperty("changes").EnumerateArray().ToList();
        var logged = changes.Single(c => c.GetProperty("tx").GetString() == grant);
        Assert.That((logged.GetProperty("kind").GetString(), logged.GetProperty("new").GetString(), logged.GetProperty("actor").GetString()),
            Is.EqualTo(("RoleGranted", Outsider, EvmTestChain.Deployer)));

        // The rows are PostgreSQL's own (what treasury tools query), not kept anywhere else.
        await using var connection = new NpgsqlConnection(connectionString);
        var stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM governance_changes WHERE tx_id = @grant", new { grant });
        var proof = await connection.ExecuteScalarAsync<string>("SELECT status FROM governance_proofs");
        Assert.That((stored, proof), Is.EqualTo((1L, "ok")));
    }

    private static System.Numerics.BigInteger RoleWord(string role) => new(Convert.FromHexString(role[2..]), isUnsigned: true, isBigEndian: true);

    private static async Task<(int Exit, string Out, string Err)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
