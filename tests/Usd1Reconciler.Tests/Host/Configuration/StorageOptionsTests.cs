using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>
/// <c>Storage:Provider</c>, <c>Storage:ConnectionString</c> and its secret file (issue 14.2), as an operator sets them:
/// through <see cref="ConfigLoader"/>. The connection string carries a password, so no message may repeat it.
/// </summary>
public sealed class StorageOptionsTests
{
    private const string Secret = "s3cret-Pa55word";
    private const string GoodNetwork = """{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:8545"],"Token":"0x1111111111111111111111111111111111111111"}""";
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-storage-options-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(string storage)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, $$"""{"Storage":{{storage}},"Networks":[{{GoodNetwork}}]}""");
        return path;
    }

    [Test]
    public void Load_NoProvider_SqliteAtThePathAsBefore()
    {
        var loaded = ConfigLoader.Load(Write("""{"Path":"x.db"}"""));
        Assert.That(loaded.Options.Storage.Provider, Is.EqualTo(StorageProvider.Sqlite));
        Assert.That(loaded.StoreIsFile, Is.True);
        Assert.That(loaded.StoreName, Is.EqualTo(Path.Combine(_directory, "x.db")));
    }

    [Test]
    public void Load_PostgresWithConnectionStringFile_StoreNamedWithoutThePassword()
    {
        File.WriteAllText(Path.Combine(_directory, "pg.secret"), $"Host=db.internal;Port=5433;Database=usd1rec;Username=rec;Password={Secret}\n");
        var loaded = ConfigLoader.Load(Write("""{"Provider":"Postgres","ConnectionStringFile":"pg.secret"}"""));

        Assert.That(loaded.Options.Storage.ConnectionString, Does.Contain(Secret), "the file's content is the value");
        Assert.That(loaded.StoreIsFile, Is.False);
        Assert.That(loaded.StoreName, Is.EqualTo("postgresql://rec@db.internal:5433/usd1rec"));
    }

    [Test]
    public void Load_PostgresWithoutConnectionString_ProblemNamingTheKeyAndItsFile()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("""{"Provider":"Postgres"}""")));
        Assert.That(ex!.Problems.Single(), Does.StartWith("Storage:ConnectionString: required when Storage:Provider is Postgres").And.Contain("ConnectionStringFile"));
    }

    [TestCase("Host=db;Pasword=" + Secret + ";Database=x", "not a valid PostgreSQL connection string")]
    [TestCase("Password=" + Secret + ";Database=x", "names no Host")]
    [TestCase("Host=db;Password=" + Secret, "names no Database")]
    public void Load_PostgresWithABadConnectionString_ProblemSaysWhyWithoutQuotingIt(string connectionString, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write($$"""{"Provider":"Postgres","ConnectionString":"{{connectionString}}"}""")));
        Assert.That(ex!.Problems.Single(), Does.StartWith("Storage:ConnectionString: ").And.Contain(expected));
        Assert.That(ex.Problems, Has.None.Contain(Secret), "a typo next to the password must not print the password");
        Assert.That(ex.Message, Does.Not.Contain(Secret));
    }

    [Test]
    public void Load_ConnectionStringAndItsFileBoth_ProblemNamingBothAndNoValue()
    {
        File.WriteAllText(Path.Combine(_directory, "pg.secret"), $"Host=db;Database=x;Password={Secret}");
        var ex = Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Load(Write($$"""{"Provider":"Postgres","ConnectionString":"Host=db;Database=x;Password={{Secret}}","ConnectionStringFile":"pg.secret"}""")));
        Assert.That(ex!.Problems, Has.Some.Contains("Storage:ConnectionStringFile").And.Contains("not both"));
        Assert.That(ex.Problems, Has.None.Contain(Secret));
    }

    [Test]
    public void Load_SqliteWithAConnectionString_RefusedAsUnused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write($$"""{"ConnectionString":"Host=db;Database=x;Password={{Secret}}"}""")));
        Assert.That(ex!.Problems.Single(), Does.StartWith("Storage:ConnectionString: only used when Storage:Provider is Postgres"));
        Assert.That(ex.Problems.Single(), Does.Not.Contain(Secret));
    }
}
