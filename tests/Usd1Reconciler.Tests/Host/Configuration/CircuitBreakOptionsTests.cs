using Usd1Reconciler.Configuration;
using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>Networks:N:CircuitBreak reaches both adapters' RPC clients and is validated like the other durations.</summary>
public sealed class CircuitBreakOptionsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(string extra) => Write(extra, extra);

    private string Write(string evmExtra, string solanaExtra)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, $$"""
            {"Networks":[
              {"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://127.0.0.1:8545"],"Token":"0x1111111111111111111111111111111111111111"{{evmExtra}}},
              {"Name":"sol","Kind":"Solana","RpcUrls":["http://127.0.0.1:8899"],"Mint":"So11111111111111111111111111111111111111112"{{solanaExtra}}}]}
            """);
        return path;
    }

    [Test]
    public void Settings_BreakGiven_BothAdaptersRestAFailedEndpointThatLong()
    {
        var loaded = ConfigLoader.Load(Write(""","CircuitBreak":"00:00:05" """));
        var evm = NetworkSettingsFactory.Evm(loaded.Options.Networks[0], loaded.Options.Reconciliation);
        var solana = NetworkSettingsFactory.Solana(loaded.Options.Networks[1], spoolDirectory: _directory);

        Assert.Multiple(() =>
        {
            Assert.That(evm.Resilience!.BreakDuration, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(solana.Resilience!.BreakDuration, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(evm.Resilience.MaxRequestsPerSecond, Is.Null, "a break alone sets no request budget (the EVM indexer sizes ranges differently with one)");
        });
    }

    [Test]
    public void Settings_NoBreak_ThirtySecondsAsBefore()
    {
        var loaded = ConfigLoader.Load(Write(""));

        Assert.That(NetworkSettingsFactory.Evm(loaded.Options.Networks[0], loaded.Options.Reconciliation).Resilience!.BreakDuration, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase("00:00:00")]
    [TestCase("-00:00:05")]
    public void Load_BreakNotPositive_ProblemNamesTheKey(string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write($""","CircuitBreak":"{value}" """, "")));

        Assert.That(ex!.Problems, Has.Some.StartsWith("Networks:0:CircuitBreak: must be positive"), string.Join(" | ", ex.Problems));
    }
}
