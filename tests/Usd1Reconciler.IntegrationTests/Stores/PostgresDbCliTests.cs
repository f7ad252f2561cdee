using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// `usd1rec db migrate|check|backup` and `check-config` with <c>Storage:Provider</c> <c>Postgres</c>, in-process as
/// `usd1rec` runs them, the connection string in a secret file: migrate creates and then keeps the schema, check reads
/// it, backup is refused naming pg_dump, and the password appears in no output.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgresDbCliTests
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

    [Test]
    public async Task Db_MigrateTwiceCheckAndBackup_SchemaCreatedOnceBackupRefusedNamingPgDumpNoPassword()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("cli_store");
        using var dir = new TempDirectory("pg-cli");
        await File.WriteAllTextAsync(dir.File("pg.secret"), connectionString);
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""{"Storage":{"Provider":"Postgres","ConnectionStringFile":"pg.secret"},"Networks":[{{Network}}]}""");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

        var checkEmpty = await RunAsync(time, "db", "check", "--config", config);
        var migrate = await RunAsync(time, "db", "migrate", "--config", config);
        var again = await RunAsync(time, "db", "migrate", "--config", config);
        var check = await RunAsync(time, "db", "check", "--config", config);
        var backup = await RunAsync(time, "db", "backup", dir.Path, "--config", config);
        var checkConfig = await RunAsync(time, "check-config", "--for", "index", "--config", config);

        Assert.That(checkEmpty.Exit, Is.EqualTo(ExitCodes.Failure), "an empty database is not a store yet: " + checkEmpty.Out + checkEmpty.Err);
        Assert.That(checkEmpty.Err, Does.Contain("no usd1rec schema"));
        Assert.That(migrate.Exit, Is.EqualTo(ExitCodes.Ok), migrate.Err);
        Assert.That(migrate.Out, Does.Contain("applied migration").And.Contain("0001").And.Contain($"store postgresql://{PostgresServer.User}@127.0.0.1:{server.Port}/cli_store"));
        Assert.That(again.Exit, Is.EqualTo(ExitCodes.Ok), again.Err);
        Assert.That(again.Out, Does.Contain("schema up to date at version"));
        Assert.That(check.Exit, Is.EqualTo(ExitCodes.Ok), check.Err);
        Assert.That(check.Out, Does.Contain("integrity ok, schema version"));
        Assert.That(backup.Exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(backup.Err, Does.Contain("pg_dump"));
        Assert.That(Directory.GetFiles(dir.Path, "*.db"), Is.Empty, "nothing was written in place of a backup");
        Assert.That(checkConfig.Exit, Is.EqualTo(ExitCodes.Ok), checkConfig.Err);
        Assert.That(checkConfig.Out, Does.Contain("store: PostgreSQL postgresql://"));

        var everything = string.Concat(new[] { checkEmpty, migrate, again, check, backup, checkConfig }.Select(r => r.Out + r.Err));
        Assert.That(everything, Does.Not.Contain(server.Password), "issue 14.2: the password never appears in a message");
    }
}
