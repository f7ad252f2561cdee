using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

public sealed class ConfigLoaderTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string GoodNetwork = """{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:8545"],"Token":"0x1111111111111111111111111111111111111111"}""";

    [Test]
    public void Load_ValidConfig_StorePathRelativeToConfigFile()
    {
        var loaded = ConfigLoader.Load(Write($$"""{"Storage":{"Path":"data/x.db"},"Networks":[{{GoodNetwork}}]}"""));
        Assert.That(loaded.StoragePath, Is.EqualTo(Path.Combine(_directory, "data", "x.db")));
        Assert.That(loaded.Options.Networks.Single().Confirmations, Is.Null);
    }

    [TestCase(ConfigurationUse.Run)]
    [TestCase(ConfigurationUse.Reconcile)]
    public void Load_NoReserveFeedForAReconcilingVerb_OneProblemNamingReservesFeeds(ConfigurationUse use)
    {
        var path = Write($$"""{"Networks":[{{GoodNetwork}}]}""");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, use));

        Assert.That(ex!.Problems.Single(), Does.StartWith("Reserves:Feeds: at least one reserve feed is required by `run` and `reconcile`"));
        Assert.That(ConfigLoader.Load(path, ConfigurationUse.Index).Options.Networks, Has.Count.EqualTo(1), "index, supply, report and db need no feed");
    }

    [Test]
    public void Load_ForRunWithOtherProblemsToo_EveryProblemListedOnce()
    {
        var path = Write("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":[],"Token":"0x1111111111111111111111111111111111111111"}]}""");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path, ConfigurationUse.Run));

        Assert.That(ex!.Problems.Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]), Is.EquivalentTo(new[] { "Networks:0:RpcUrls", "Reserves:Feeds" }),
            "the verb's own requirement joins the shared checks in one list");
    }

    [Test]
    public void Load_ShippedExampleForRun_Valid()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Usd1Reconciler.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("no Usd1Reconciler.sln above the test binaries");
        }

        var example = Path.Combine(root.FullName, "config", "usd1rec.example.json");

        var loaded = ConfigLoader.Load(example, ConfigurationUse.Run);

        Assert.That(loaded.Options.Reserves.Feeds, Has.Count.EqualTo(1), "the example runs as shipped: `run` refuses a file without a feed");
        var feed = Path.GetFullPath(loaded.Options.Reserves.Feeds[0].Path!, Path.GetDirectoryName(loaded.FilePath)!);
        Assert.That(File.Exists(feed), Is.True, $"the example's file feed reads a document shipped beside it: {feed}");
    }

    [TestCase("""{"Networks":[]}""", "Networks: at least one network")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":[],"Token":"0x1111111111111111111111111111111111111111"}]}""", "Networks:0:RpcUrls: at least one RPC URL")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["ftp://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""", "Networks:0:RpcUrls:0: not an absolute http(s) URL")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""", "Networks:0:ChainId: required")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"Token":"0x11"}]}""", "Networks:0:Token:")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111","Confirmations":-1}]}""", "Networks:0:Confirmations: must not be negative")]
    [TestCase("""{"Networks":[{"Name":"sol","Kind":"Solana","RpcUrls":["http://x"],"Mint":"not-base58!"}]}""", "Networks:0:Mint: must be a base58 address")]
    [TestCase("""{"Networks":[{"Name":"sol","Kind":"Solana","RpcUrls":["http://x"],"Mint":"So11111111111111111111111111111111111111112","Commitment":"processed"}]}""", "Networks:0:Commitment: must be confirmed or finalized; processed can still be rolled back by any fork (was 'processed')")]
    [TestCase("""{"Networks":[{"Name":"sol","Kind":"Solana","RpcUrls":["http://x"]}]}""", "Networks:0:Mint: required for a Solana network")]
    [TestCase("""{"Networks":[{"Name":"bad name","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""", "Networks:0:Name:")]
    [TestCase("""{"Networks":[{"Name":"eth","RpcUrls":["http://x"]}]}""", "Networks:0:Kind: required")]
    public void Load_InvalidValue_ProblemNamesTheKey(string json, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write(json)));
        Assert.That(ex!.Problems, Has.Some.StartsWith(expected), string.Join(" | ", ex.Problems));
    }

    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":"one","RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""", "Networks:0:ChainId")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Cosmos","RpcUrls":["http://x"]}]}""", "Networks:0:Kind")]
    [TestCase("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrl":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""", "RpcUrl")]
    public void Load_WrongTypeUnknownKindOrUnknownKey_ProblemNamesTheKey(string json, string key)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write(json)));
        Assert.That(ex!.Problems.Single(), Does.Contain(key));
    }

    [Test]
    public void Load_SeveralProblems_AllReported()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write(
            """{"Networks":[{"Name":"eth","Kind":"Evm","RpcUrls":[]},{"Name":"eth","Kind":"Evm","ChainId":2,"RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""")));
        Assert.That(ex!.Problems, Has.Count.GreaterThanOrEqualTo(4), string.Join(" | ", ex.Problems));
        Assert.That(ex.Problems, Has.Some.Contains("Networks:1:Name: 'eth' is used by another network"));
    }

    [Test]
    public void Load_NotJson_ClearError() =>
        Assert.That(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("{ not json")))!.Problems.Single(), Does.Contain("cannot be read as JSON"));

    [Test]
    public void Load_MissingFile_ClearError() =>
        Assert.That(Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Path.Combine(_directory, "nope.json")))!.Problems.Single(), Does.Contain("does not exist"));

    [Test]
    [NonParallelizable]
    public void Load_EnvironmentVariable_OverridesFile()
    {
        Environment.SetEnvironmentVariable("USD1REC__Networks__0__ChainId", "10");
        try
        {
            var loaded = ConfigLoader.Load(Write($$"""{"Networks":[{{GoodNetwork}}]}"""));
            Assert.That(loaded.Options.Networks[0].ChainId, Is.EqualTo(10));
        }
        finally
        {
            Environment.SetEnvironmentVariable("USD1REC__Networks__0__ChainId", null);
        }
    }
}
