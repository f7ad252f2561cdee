using System.Net;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>The operator verbs (check-config, db, healthcheck) run in-process as `usd1rec` would run them.</summary>
[TestFixture]
[Category("Integration")]
public sealed class OperatorCliTests
{
    private const string Network =
        """{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:1"],"Token":"0x1111111111111111111111111111111111111111"}""";

    private static async Task<(int Exit, string Out, string Err)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), time).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public async Task CheckConfig_ValidConfig_ExitZeroAndNoStoreCreated()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$$"""{"Storage":{"Path":"store.db"},"Networks":[{{{Network}}}],"Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.json"}]}}""");

        var result = await RunAsync("check-config", "--config", config);

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.Ok), result.Err);
        Assert.That(result.Out, Does.StartWith("configuration ok for run").And.Contain("network eth: Evm, 1 RPC endpoint (http://127.0.0.1:1)"));
        Assert.That(result.Out, Does.Contain("valid for: run, reconcile, index, supply, report, db"));
        Assert.That(result.Out, Does.Contain($"feed bank: File, {dir.File("reserves.json")} (does not exist yet"), "a missing feed file is a note, not an error: it may be dropped later");
        Assert.That(Directory.GetFiles(dir.Path), Is.EqualTo(new[] { config }), "check-config must write nothing");
    }

    [Test]
    public async Task CheckConfig_WrongTypeMissingUrlUnknownKindUnreadableSecret_ExitTwoOneLineEachNothingWritten()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, """
            {"Storage":{"Path":"store.db"},"Networks":[
              {"Name":"a","Kind":"Evm","ChainId":"one","RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"},
              {"Name":"b","Kind":"Evm","ChainId":1,"RpcUrls":[],"Token":"0x1111111111111111111111111111111111111111"},
              {"Name":"c","Kind":"Cosmos","RpcUrls":["http://x"]},
              {"Name":"d","Kind":"Solana","RpcUrlsFile":"secrets/solana-rpc","Mint":"So11111111111111111111111111111111111111112"}]}
            """);

        var result = await RunAsync("check-config", "--config", config);

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration));
        var lines = Lines(result.Err);
        Assert.That(lines[0], Is.EqualTo("usd1rec: invalid configuration (5 problems):"));
        Assert.That(lines.Skip(1).Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]),
            Is.EquivalentTo(new[] { "Networks:0:ChainId", "Networks:1:RpcUrls", "Networks:2:Kind", "Networks:3:RpcUrlsFile", "Reserves:Feeds" }),
            "one line per problem, each starting with its key:\n" + result.Err);
        Assert.That(result.Out, Is.Empty);
        Assert.That(Directory.GetFiles(dir.Path), Is.EqualTo(new[] { config }), "a broken configuration must not create the store");
    }

    [Test]
    public async Task Index_SecretFileUnreadable_ExitTwoAndStoreNotCreated()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, """
            {"Storage":{"Path":"store.db"},"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrlsFile":"/nonexistent/eth-rpc","Token":"0x1111111111111111111111111111111111111111"}]}
            """);

        var result = await RunAsync("index", "--config", config, "--once");

        Assert.That(result.Exit, Is.EqualTo(ExitCodes.InvalidConfiguration));
        Assert.That(Lines(result.Err), Has.Some.StartsWith("Networks:0:RpcUrlsFile: cannot read secret file /nonexistent/eth-rpc"));
        Assert.That(File.Exists(dir.File("store.db")), Is.False);
    }

    [Test]
    public async Task DbMigrateCheckBackup_FreshStore_VersionsReportedAndBackupVerified()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Path":"data/store.db"},"Networks":[{{Network}}]}""");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

        var migrate = await RunAsync(time, "db", "migrate", "--config", config);
        var again = await RunAsync(time, "db", "migrate", "--config", config);
        var check = await RunAsync(time, "db", "check", "--config", config);
        Directory.CreateDirectory(dir.File("backups"));
        var backup = await RunAsync(time, "db", "backup", dir.File("backups"), "--config", config);
        var backupAgain = await RunAsync(time, "db", "backup", dir.File("backups"), "--config", config);
        var overwrite = await RunAsync(time, "db", "backup", Path.Combine(dir.File("backups"), "usd1rec-20261125T093000Z.db"), "--config", config);
        var missingFolder = await RunAsync(time, "db", "backup", dir.File("no-such-folder") + "/", "--config", config);
        var missingParent = await RunAsync(time, "db", "backup", Path.Combine(dir.File("no-such-folder"), "copy.db"), "--config", config);

        Assert.That(migrate.Exit, Is.EqualTo(ExitCodes.Ok), migrate.Err);
        Assert.That(migrate.Out, Does.Contain("applied migration").And.Contain("0001"));
        Assert.That(again.Out, Does.Contain("schema up to date at version"));
        Assert.That(check.Exit, Is.EqualTo(ExitCodes.Ok), check.Err);
        Assert.That(check.Out, Does.Contain("integrity ok, schema version"));
        Assert.That(backup.Exit, Is.EqualTo(ExitCodes.Ok), backup.Err);
        var expected = Path.Combine(dir.File("backups"), "usd1rec-20261125T093000Z.db");
        Assert.That(backup.Out, Does.StartWith($"backup written: {expected}").And.Contain("integrity ok"));
        // Two backups within one second (a cron job and an operator): the second gets the next name, neither is lost.
        Assert.That(backupAgain.Exit, Is.EqualTo(ExitCodes.Ok), backupAgain.Err);
        Assert.That(backupAgain.Out, Does.StartWith($"backup written: {Path.Combine(dir.File("backups"), "usd1rec-20261125T093000Z-2.db")}"));
        Assert.That(Directory.GetFiles(dir.File("backups")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "usd1rec-20261125T093000Z.db", "usd1rec-20261125T093000Z-2.db" }));
        Assert.That(overwrite.Exit, Is.EqualTo(ExitCodes.Failure), "a named file that exists is never overwritten");
        Assert.That(overwrite.Err, Does.Contain("already exists"));
        Assert.Multiple(() =>
        {
            Assert.That(missingFolder.Exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(missingFolder.Err, Does.Contain($"the folder {dir.File("no-such-folder")} does not exist; create it first"));
            Assert.That(missingParent.Exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(missingParent.Err, Does.Contain($"the folder {dir.File("no-such-folder")} does not exist"));
            Assert.That(Directory.Exists(dir.File("no-such-folder")), Is.False, "nothing is created on a typo");
        });
    }

    [Test]
    public async Task DbCheck_StoreIsNotADatabase_NonZeroExitNamingTheDamage()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Path":"store.db"},"Networks":[{{Network}}]}""");
        await File.WriteAllTextAsync(dir.File("store.db"), new string('#', 10_000));

        var check = await RunAsync("db", "check", "--config", config);

        Assert.That(check.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(check.Err, Does.Contain("integrity:").And.Contain("damaged or not an SQLite database"));
    }

    [Test]
    public async Task DbCheck_NoStore_NonZeroExitAndNothingCreated()
    {
        using var dir = new TempDirectory("ops");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Path":"store.db"},"Networks":[{{Network}}]}""");

        var check = await RunAsync("db", "check", "--config", config);

        Assert.That(check.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(File.Exists(dir.File("store.db")), Is.False);
    }

    [Test]
    public async Task Healthcheck_EndpointAnswers200ThenIsGone_ExitZeroThenOne()
    {
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}/healthz";
        using (var listener = new HttpListener())
        {
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            var serve = Task.Run(async () =>
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = 200;
                context.Response.Close();
            });

            var healthy = await RunAsync("healthcheck", "--url", url);
            await serve;
            Assert.That(healthy.Exit, Is.EqualTo(ExitCodes.Ok), healthy.Err);
        }

        var gone = await RunAsync("healthcheck", "--url", url, "--timeout", "00:00:02");
        Assert.That(gone.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(gone.Err, Does.StartWith("usd1rec: unhealthy:"));
    }
}
