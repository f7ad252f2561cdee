using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>
/// The rules that moved to attributes (anomaly limits, listen address, cron, durations) and the ones that stayed in
/// code (Kind-dependent keys, cross-field rules), through the real loader: one line each, starting with its key.
/// </summary>
public sealed class OptionsValidatorTests
{
    private const string Evm = "\"Name\":\"eth\",\"Kind\":\"Evm\",\"ChainId\":1,\"RpcUrls\":[\"http://127.0.0.1:8545\"],\"Token\":\"0x1111111111111111111111111111111111111111\"";
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-validator-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private IReadOnlyList<string> Problems(string json)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, json);
        return Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(path))!.Problems;
    }

    [TestCase("\"Anomalies\":{\"MinterQuotas\":{\"0xabc\":\"1e6\"}}", "Networks:0:Anomalies:MinterQuotas:0xabc: amount '1e6' is not a base-10 unsigned integer (amounts are strings of base units)")]
    [TestCase("\"Anomalies\":{\"MaxMint\":\"-5\"}", "Networks:0:Anomalies:MaxMint: amount '-5' is not a base-10 unsigned integer (amounts are strings of base units)")]
    [TestCase("\"Anomalies\":{\"ExplorerTxUrl\":\"https://etherscan.io/tx/\"}", "Networks:0:Anomalies:ExplorerTxUrl: must contain {tx} where the transaction id goes (was 'https://etherscan.io/tx/')")]
    [TestCase("\"Anomalies\":{\"DeepReorgDepth\":0}", "Networks:0:Anomalies:DeepReorgDepth: must be at least 1 (was 0)")]
    [TestCase("\"Mint\":\"So11111111111111111111111111111111111111112\"", "Networks:0:Mint: applies to Solana networks only; an Evm network names its Token")]
    public void Load_NetworkRuleBroken_OneLineNamingTheKey(string member, string expected) =>
        Assert.That(Problems($$"""{"Networks":[{{{Evm}},{{member}}}]}"""), Is.EqualTo(new[] { expected }));

    private const string Solana = "\"Name\":\"sol\",\"Kind\":\"Solana\",\"RpcUrls\":[\"http://127.0.0.1:8899\"],\"Mint\":\"So11111111111111111111111111111111111111112\"";

    [TestCase("{\"Authorities\":{\"mintTokenz\":\"none\"}}", "Networks:0:Governance:Authorities:mintTokenz: not a mint authority type of a Solana mint (one of closeMint, confidentialTransferFeeConfig, confidentialTransferMint, freezeAccount, groupMemberPointer, groupPointer, interestRate, metadataPointer, mintTokens, pause, permanentDelegate, permissionedBurn, scaledUiAmount, tokenMetadataUpdateAuthority, transferFeeConfig, transferHookProgramId, withheldWithdraw)")]
    [TestCase("{\"Authorities\":{\"mintTokens\":\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"}}", "Networks:0:Governance:Authorities:mintTokens: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' is neither a base58 address nor none")]
    [TestCase("{\"Owner\":\"So11111111111111111111111111111111111111112\"}", "Networks:0:Governance:Owner: applies to Evm networks only; a Solana network's policy names its Authorities")]
    public void Load_SolanaGovernancePolicyBroken_OneLineNamingTheKey(string governance, string expected) =>
        Assert.That(Problems($$"""{"Networks":[{{{Solana}},"Governance":{{governance}}}]}"""), Is.EqualTo(new[] { expected }));

    private const string FeeAbi = """[{"type":"event","name":"FeeChanged","inputs":[{"name":"setter","type":"address","indexed":true},{"name":"fee","type":"uint256","indexed":false}]}]""";

    [TestCase("""{"FeeChanged":{"Value":"fees","AllowedValues":["1"]}}""", "Networks:0:Governance:DeclaredPolicy:FeeChanged:Value: 'fees' is not an argument of FeeChanged (its arguments: setter, fee)")]
    [TestCase("""{"FeeChanged":{"AllowedValues":["1"]}}""", "Networks:0:Governance:DeclaredPolicy:FeeChanged:AllowedValues: needs Networks:0:Governance:DeclaredPolicy:FeeChanged:Value, the argument the values are of")]
    [TestCase("""{"FeeChanged":{"AllowedActors":["0x1111111111111111111111111111111111111111"]}}""", "Networks:0:Governance:DeclaredPolicy:FeeChanged:AllowedActors: needs Networks:0:Governance:DeclaredPolicy:FeeChanged:Actor, the argument that names who acted")]
    [TestCase("""{"Approval":{"Privileged":true}}""", "Networks:0:Governance:DeclaredPolicy:Approval: 'Approval' is not one of Networks:0:Governance:DeclaredEvents (FeeChanged); name it as listed there")]
    public void Load_DeclaredPolicyBroken_OneLineNamingTheKey(string policy, string expected)
    {
        var abi = Path.Combine(_directory, "abi.json");
        File.WriteAllText(abi, FeeAbi);
        var governance = $$"""{"AbiFile":"{{abi}}","DeclaredEvents":["FeeChanged"],"DeclaredPolicy":{{policy}}}""";

        Assert.That(Problems($$"""{"Networks":[{{{Evm}},"Governance":{{governance}}}]}"""), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Load_DeclaredPolicyValid_BecomesTheRuleWithAddressesLowerCased()
    {
        var abi = Path.Combine(_directory, "abi.json");
        File.WriteAllText(abi, FeeAbi);
        var path = Path.Combine(_directory, "config.json");
        const string ruleJson = """{"Value":"fee","AllowedValues":["5"],"Actor":"setter","AllowedActors":["0xABCDEF0000000000000000000000000000000001"]}""";
        File.WriteAllText(path, "{\"Networks\":[{" + Evm + ",\"Governance\":{\"AbiFile\":\"" + abi
            + "\",\"DeclaredEvents\":[\"FeeChanged(address,uint256)\"],\"DeclaredPolicy\":{\"FeeChanged(address,uint256)\":" + ruleJson + "}}}]}");

        var policy = GovernancePolicyFactory.Create(ConfigLoader.Load(path).Options.Networks.Single());

        var rule = policy.DeclaredRules["FeeChanged"];
        Assert.That((rule.ValueArgument, rule.ActorArgument, rule.Privileged), Is.EqualTo(("fee", "setter", false)));
        Assert.That(rule.AllowedValues, Is.EquivalentTo(new[] { "5" }));
        Assert.That(rule.AllowedActors, Is.EquivalentTo(new[] { "0xabcdef0000000000000000000000000000000001" }), "as the decoder writes addresses");
    }

    [Test]
    public void Load_SolanaGovernancePolicyWithAuthoritiesAndNone_Accepted()
    {
        var path = Path.Combine(_directory, "config.json");
        const string governance = """{"Authorities":{"mintTokens":"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin","freezeAccount":"none","closeMint":"None"}}""";
        File.WriteAllText(path, "{\"Networks\":[{" + Solana + ",\"Governance\":" + governance + "}]}");

        Assert.That(ConfigLoader.Load(path).Options.Networks.Single().Governance!.Authorities, Has.Count.EqualTo(3), "base58 holders and none are valid Solana authorities");
    }

    [TestCase("""{"Http":{"Listen":"localhost"}}""", "Http:Listen: 'localhost' is not host:port")]
    [TestCase("""{"Http":{"Listen":"example.org:80"}}""", "Http:Listen: host 'example.org' is not an IP address")]
    [TestCase("""{"Reconciliation":{"Schedule":"* * * * *"}}""", "Reconciliation:Schedule: must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week) (was '* * * * *')")]
    [TestCase("""{"Reconciliation":{"MaxConcentrationBps":0}}""", "Reconciliation:MaxConcentrationBps: must be between 1 and 10000 (was 0)")]
    [TestCase("""{"Storage":{"IntegrityCheckInterval":"00:00:10"}}""", "Storage:IntegrityCheckInterval: must be at least 00:01:00, as the check reads the whole store (was 00:00:10)")]
    [TestCase("""{"Alerting":{"AlertmanagerUrls":["http://127.0.0.1:9093","am.local:9093"]}}""", "Alerting:AlertmanagerUrls:1: not an absolute http(s) URL")]
    [TestCase("""{"Reserves":{"Feeds":[{"Name":"bank","Kind":"Http","Path":"x.json"}]}}""", "Reserves:Feeds:0:Url: an Http feed needs a Url (and no Path)")]
    public void Load_SectionRuleBroken_OneLineNamingTheKey(string section, string expected)
    {
        var json = section[..^1] + $$""","Networks":[{{{Evm}}}]}""";

        Assert.That(Problems(json), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Load_SecretValueFailsAnAttributeRule_KeyNamedValueNotEchoed()
    {
        File.WriteAllText(Path.Combine(_directory, "token"), "sk-live-0123456789");

        var problem = Problems("""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"RpcUrls":["http://x"],"TokenFile":"token"}]}""").Single();

        Assert.That(problem, Is.EqualTo("Networks:0:Token: must be 0x followed by 40 hex digits"), "a value from a secret file never reaches a message");
    }
}
