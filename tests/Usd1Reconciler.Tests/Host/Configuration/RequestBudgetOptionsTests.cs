using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>Networks:N:MaxRequestsPerSecond is validated like the other per-network options.</summary>
public sealed class RequestBudgetOptionsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(string budget)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, $$"""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:8545"],"Token":"0x1111111111111111111111111111111111111111"{{budget}}}]}""");
        return path;
    }

    [Test]
    public void Load_BudgetGiven_BoundToTheNetwork()
    {
        var loaded = ConfigLoader.Load(Write(""","MaxRequestsPerSecond":25"""));

        Assert.That(loaded.Options.Networks.Single().MaxRequestsPerSecond, Is.EqualTo(25));
    }

    [Test]
    public void Load_NoBudget_NoneByDefault() =>
        Assert.That(ConfigLoader.Load(Write("")).Options.Networks.Single().MaxRequestsPerSecond, Is.Null, "without the key requests are not paced");

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(100_001)]
    public void Load_BudgetOutOfRange_ProblemNamesTheKey(int budget)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write($""","MaxRequestsPerSecond":{budget}""")));

        Assert.That(ex!.Problems, Has.Some.StartsWith("Networks:0:MaxRequestsPerSecond: must be between 1 and 100000"), string.Join(" | ", ex.Problems));
    }

    [Test]
    public void Load_BudgetNotANumber_ProblemNamesTheKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write(""","MaxRequestsPerSecond":"fast" """)));

        Assert.That(ex!.Problems, Has.Some.Contains("Networks:0:MaxRequestsPerSecond"), string.Join(" | ", ex.Problems));
    }
}
