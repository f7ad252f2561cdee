using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Cli;

/// <summary>`usd1rec report verify|export` over a temp store written by the storage layer (no RPC: report verbs read the store only).</summary>
public sealed class ReportCommandTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private string _directory = null!;
    private string _config = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-reportcli-").FullName;
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

    private async Task<List<StoredReport>> AppendAsync(int count)
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(DbPath, TimeProvider.System));
        var reports = new List<StoredReport>();
        for (var i = 0; i < count; i++)
        {
            var canonical = $$"""{"kind":"scheduled","createdAt":"{{ReportCanonicalForm.Time(At)}}","evaluatedAt":"{{ReportCanonicalForm.Time(At)}}","verdict":"covered","shortfallUsd":"0","n":{{i}}}""";
            reports.Add(await store.AppendReportAsync("scheduled", At, At, "covered", "0", canonical, CancellationToken.None));
        }

        SqliteConnection.ClearAllPools();
        return reports;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.ExecuteAsync(sql);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["report", .. args, "--config", _config])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }); // parse errors too
        SqliteConnection.ClearAllPools();
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Verify_ExpectHeadAndCountOfTheIntactChain_ExitsZero()
    {
        var reports = await AppendAsync(3);

        var result = await RunAsync("verify", "--expect-head", reports[2].Hash, "--expect-count", "3");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Err);
        Assert.That(result.Out, Does.Contain($"chain intact: 3 reports, head {reports[2].Hash}"));
    }

    [Test]
    public async Task Verify_NewestReportDeleted_PlainVerifyPassesButExpectHeadExitsOne()
    {
        var reports = await AppendAsync(3);
        await ExecuteAsync("DELETE FROM reconciliation_reports WHERE id = 3");

        var plain = await RunAsync("verify");
        var expectHead = await RunAsync("verify", "--expect-head", reports[2].Hash);
        var expectCount = await RunAsync("verify", "--expect-count", "3");

        Assert.Multiple(() =>
        {
            Assert.That(plain.Exit, Is.EqualTo(ExitCodes.Ok), "without a witness the shorter chain links perfectly");
            Assert.That(expectHead.Exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(expectHead.Err, Does.Contain($"the chain does not reach the expected head {reports[2].Hash}"));
            Assert.That(expectHead.Out, Does.Contain("chain BROKEN"));
            Assert.That(expectCount.Exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(expectCount.Err, Does.Contain("fewer than the 3 expected"));
        });
    }

    [Test]
    public async Task Verify_ExpectHeadNotAHash_RefusedNamingTheOption()
    {
        await AppendAsync(1);

        var result = await RunAsync("verify", "--expect-head", "deadbeef");

        Assert.That(result.Exit, Is.Not.EqualTo(ExitCodes.Ok));
        Assert.That(result.Err + result.Out, Does.Contain("--expect-head: 'deadbeef' is not a report hash"));
    }

    [Test]
    public async Task Export_EditedReport_RefusedNamingIt_NothingWritten()
    {
        await AppendAsync(3);
        await ExecuteAsync("UPDATE reconciliation_reports SET canonical = replace(canonical, '\"n\":1', '\"n\":7') WHERE id = 2");
        var file = Path.Combine(_directory, "export.json");

        var result = await RunAsync("export", "--format", "json", "-o", file);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(result.Err, Does.Contain("not exporting: the report chain is broken").And.Contain("first: report 2: content hashes to"));
            Assert.That(File.Exists(file), Is.False, "a broken chain is never exported as if it were sound");
        });
    }

    [Test]
    public async Task Export_IntactChain_WritesEveryReport()
    {
        var reports = await AppendAsync(2);

        var result = await RunAsync("export", "--format", "json");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Err);
        Assert.That(result.Out, Does.Contain(reports[1].Hash));
    }
}
