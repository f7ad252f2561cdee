using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>Unknown keys and wrong types are all reported at once, each with its full key.</summary>
public sealed class ConfigurationPrecheckTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-precheck-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private IReadOnlyList<string> Problems(string json)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, json);
        return Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path))!.Problems;
    }

    [Test]
    public void Load_WrongTypeMissingUrlUnknownKindUnreadableSecret_OneLinePerProblemEachNamingItsKey()
    {
        var problems = Problems("""
            {"Networks":[
              {"Name":"a","Kind":"Evm","ChainId":"one","RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"},
              {"Name":"b","Kind":"Evm","ChainId":1,"RpcUrls":[],"Token":"0x1111111111111111111111111111111111111111"},
              {"Name":"c","Kind":"Cosmos","RpcUrls":["http://x"]},
              {"Name":"d","Kind":"Solana","RpcUrlsFile":"/nonexistent/rpc","Mint":"So11111111111111111111111111111111111111112"}]}
            """);

        Assert.That(problems, Has.Count.EqualTo(4), string.Join(" | ", problems));
        Assert.That(problems, Has.Some.EqualTo("Networks:0:ChainId: 'one' is not a whole number (Int64)"));
        Assert.That(problems, Has.Some.EqualTo("Networks:1:RpcUrls: at least one RPC URL is required"));
        Assert.That(problems, Has.Some.EqualTo("Networks:2:Kind: 'Cosmos' is not one of Evm, Solana"));
        Assert.That(problems, Has.Some.StartsWith("Networks:3:RpcUrlsFile: cannot read secret file /nonexistent/rpc"));
    }

    [Test]
    public void Load_MisspeltKey_FullPathAndSuggestionAndNoEchoAboutTheIntendedKey()
    {
        var problems = Problems("""{"Networks":[{"Name":"s","Kind":"Solana","RpcUrls":["http://x"],"Mint":"So11111111111111111111111111111111111111112","Comitment":"finalized"}]}""");

        Assert.That(problems.Single(), Is.EqualTo("Networks:0:Comitment: unknown key (did you mean Commitment?)"));
    }

    [Test]
    public void Load_UnknownSection_ReportedOnceForAllItsKeys()
    {
        var problems = Problems("""{"Strage":{"Path":"x.db","Mode":"wal"},"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}]}""");

        Assert.That(problems.Single(), Is.EqualTo("Strage: unknown key (did you mean Storage?)"));
    }

    [Test]
    public void Load_ListGivenAsSingleString_ProblemInsteadOfSilentlyEmptyList()
    {
        var problems = Problems("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":"http://x","Token":"0x1111111111111111111111111111111111111111"}]}""");

        Assert.That(problems, Has.Some.EqualTo("Networks:0:RpcUrls: must be a list, not a single value"));
    }

    [TestCase("\"Kind\":\"7\"", "Networks:0:Kind: '7' is not one of Evm, Solana")]
    [TestCase("\"PollInterval\":\"soon\"", "Networks:0:PollInterval: 'soon' is not a duration")]
    [TestCase("\"Confirmations\":\"2.5\"", "Networks:0:Confirmations: '2.5' is not a whole number (Int32)")]
    public void Load_ValueOfWrongType_NamesKeyValueAndExpectation(string member, string expected)
    {
        var network = """{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"Token":"0x1111111111111111111111111111111111111111"}""";
        var key = member[..(member.IndexOf(':', StringComparison.Ordinal) + 1)];
        var edited = network.Contains(key, StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(network, System.Text.RegularExpressions.Regex.Escape(key) + "\"[^\"]*\"", member)
            : network.Replace("}", "," + member + "}", StringComparison.Ordinal);

        var problems = Problems($$"""{"Networks":[{{edited}}]}""");

        Assert.That(problems.Single(), Does.StartWith(expected));
    }
}
