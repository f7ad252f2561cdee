using System.CommandLine;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Cli;

/// <summary>The command line's small edges, through <see cref="CommandLineApp.InvokeAsync"/> as the binary runs it, on temp stores (no RPC).</summary>
public sealed class CommandLineAppTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private string _directory = null!;
    private string _config = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-cli-").FullName;
        _config = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(_config, """
            {"Storage":{"Path":"store.db"},
             "Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:9"],"Token":"0x0000000000000000000000000000000000000001"}]}
            """);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(args, new CliConsole(output, error), TimeProvider.System, new InvocationConfiguration { Output = output, Error = error });
        SqliteConnection.ClearAllPools();
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task InvokeAsync_UnknownOption_ExitsTwoLikeAnInvalidConfiguration()
    {
        var result = await RunAsync("supply", "--config", _config, "--bogus");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration), "a usage error started nothing, as a bad configuration");
        Assert.That(result.Err, Does.Contain("--bogus"));
    }

    [Test]
    public async Task InvokeAsync_VerbHelpWithoutTheRequiredConfig_ExitsZeroWithExamples()
    {
        var result = await RunAsync("index", "--help");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Err);
        Assert.That(result.Out, Does.Contain("Examples:").And.Contain("usd1rec index --config"));
    }

    [TestCase("0")]
    [TestCase("-5")]
    public async Task ReportList_LimitBelowOne_ExitsTwoNamingTheFlagBeforeOpeningAnything(string limit)
    {
        var result = await RunAsync("report", "list", "--config", Path.Combine(_directory, "missing.json"), "--limit", limit);

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration));
        Assert.That(result.Err, Does.Contain($"--limit must be 1 or more (got {limit})"));
        Assert.That(result.Err, Does.Not.Contain("missing.json"), "refused before the configuration is even read");
    }

    [Test]
    public async Task ReportShow_Plain_TheSummaryOnly_JsonOnlyWithTheFlag()
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(DbPath, TimeProvider.System));
        var time = ReportCanonicalForm.Time(At);
        var canonical = $$"""
            {"kind":"scheduled","createdAt":"{{time}}","evaluatedAt":"{{time}}","verdict":"covered","shortfallUsd":"0",
             "circulatingSupplyUsd":"1000","reservesUsd":"1100","coverageBps":11000,"failingInputs":[],
             "rules":[{"rule":"coverage","passed":true,"detail":"11000 bps >= 10000 bps"}]}
            """;
        var stored = await store.AppendReportAsync("scheduled", At, At, "covered", "0", canonical, CancellationToken.None);
        SqliteConnection.ClearAllPools();

        var plain = await RunAsync("report", "show", "--config", _config, stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var json = await RunAsync("report", "show", "--config", _config, stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        Assert.That(plain.Exit, Is.EqualTo(ExitCodes.Ok), plain.Err);
        Assert.That(plain.Out, Does.StartWith($"report {stored.Id} (scheduled) at ").And.Contain("COVERED"));
        Assert.That(plain.Out, Does.Not.Contain("{"), "no JSON after the summary: that is what --json is for");
        Assert.That(json.Exit, Is.EqualTo(ExitCodes.Ok), json.Err);
        using var document = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.That(document.RootElement.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object));
    }

    [Test]
    public async Task Supply_StoreWithNothingIndexed_SaysNotIndexedYetInsteadOfBlockMinusOne()
    {
        _ = SqliteSupplyStore.Open(DbPath, TimeProvider.System); // creates and migrates the store; nothing indexed
        SqliteConnection.ClearAllPools();

        var result = await RunAsync("supply", "--config", _config);

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Err);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Some.Match(@"^eth\s+not indexed yet$"));
        Assert.That(lines, Has.Some.StartsWith("total supply: not indexed yet"));
        Assert.That(result.Out, Does.Not.Contain("-1"));
    }
}
