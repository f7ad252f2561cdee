using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>Secret files (`KeyFile`) through the real loader: file, environment and validation together.</summary>
public sealed class SecretFileResolverTests
{
    private const string Token = "0x1111111111111111111111111111111111111111";
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-secrets-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Config(string networkKeys) =>
        WriteFile("config.json", $$"""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"Token":"{{Token}}",{{networkKeys}}}]}""");

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static ConfigurationException Fails(string configPath) =>
        Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(configPath))!;

    [Test]
    public void Load_ListOptionFromFile_EachNonEmptyLineIsOneElementTrimmed()
    {
        WriteFile("rpc", "  https://eth.example/v2/KEY-1  \n\nhttps://backup.example/KEY-2\n");

        var loaded = ConfigLoader.Load(Config("\"RpcUrlsFile\":\"rpc\""));

        Assert.That(loaded.Options.Networks[0].RpcUrls, Is.EqualTo(new[] { "https://eth.example/v2/KEY-1", "https://backup.example/KEY-2" }));
    }

    [Test]
    public void Load_RelativeSecretPath_ResolvedAgainstConfigFolderNotWorkingDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "secrets"));
        WriteFile(Path.Combine("secrets", "rpc"), "http://127.0.0.1:8545");

        var loaded = ConfigLoader.Load(Config("\"RpcUrlsFile\":\"secrets/rpc\""));

        Assert.That(loaded.Options.Networks[0].RpcUrls.Single(), Is.EqualTo("http://127.0.0.1:8545"),
            "systemd starts units in /, so a path relative to the working directory would break under systemd");
    }

    [Test]
    [NonParallelizable]
    public void Load_ElementFileFromEnvironment_ReplacesThatElement()
    {
        var secret = WriteFile("eth-rpc", "https://eth.example/KEY\n");
        Environment.SetEnvironmentVariable("USD1REC__Networks__0__RpcUrls__0File", secret);
        try
        {
            var loaded = ConfigLoader.Load(WriteFile("config.json",
                $$"""{"Networks":[{"Name":"eth","Kind":"Evm","ChainId":1,"Token":"{{Token}}"}]}"""));
            Assert.That(loaded.Options.Networks[0].RpcUrls, Is.EqualTo(new[] { "https://eth.example/KEY" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable("USD1REC__Networks__0__RpcUrls__0File", null);
        }
    }

    [Test]
    public void Load_SecretFileMissing_OneProblemNamingTheFileKey()
    {
        var ex = Fails(Config("\"RpcUrlsFile\":\"/nonexistent/usd1rec/rpc\""));

        Assert.That(ex.Problems, Has.Count.EqualTo(1), string.Join(" | ", ex.Problems));
        Assert.That(ex.Problems[0], Does.StartWith("Networks:0:RpcUrlsFile: cannot read secret file /nonexistent/usd1rec/rpc: no such file"),
            "the missing file explains the missing RPC URL; a second 'RpcUrls: required' line would only add noise");
    }

    [Test]
    public void Load_SecretPathIsADirectory_UnreadableProblemNamingTheKey()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "rpc.d"));

        var ex = Fails(Config("\"RpcUrlsFile\":\"rpc.d\""));

        Assert.That(ex.Problems.Single(), Does.StartWith("Networks:0:RpcUrlsFile: cannot read secret file"));
    }

    [Test]
    public void Load_SecretFileEmpty_Problem()
    {
        WriteFile("rpc", " \n ");

        Assert.That(Fails(Config("\"RpcUrlsFile\":\"rpc\"")).Problems.Single(), Does.StartWith("Networks:0:RpcUrlsFile: secret file").And.EndWith("is empty"));
    }

    [Test]
    public void Load_ValueAndFileBothGiven_ProblemRatherThanSilentPrecedence()
    {
        WriteFile("rpc", "http://127.0.0.1:8545");

        var ex = Fails(Config("\"RpcUrls\":[\"http://127.0.0.1:1\"],\"RpcUrlsFile\":\"rpc\""));

        Assert.That(ex.Problems.Single(), Does.StartWith("Networks:0:RpcUrlsFile: Networks:0:RpcUrls is also set directly"));
    }

    [Test]
    public void Load_SecretValueOfWrongType_ValueNotEchoed()
    {
        WriteFile("chain", "sk-live-0123456789");
        var path = WriteFile("config.json",
            $$"""{"Networks":[{"Name":"eth","Kind":"Evm","ChainIdFile":"chain","Token":"{{Token}}","RpcUrls":["http://x"]}]}""");

        var problem = Fails(path).Problems.Single();

        Assert.That(problem, Does.StartWith("Networks:0:ChainId:"));
        Assert.That(problem, Does.Not.Contain("sk-live"), "a secret must never reach logs, even when it is malformed");
    }

    [Test]
    public void Apply_RealOptionEndingInFile_KeptAsAPathNotRead()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Tls:CertificateFile"] = "/does/not/exist.pem",
            ["Tls:PasswordFile"] = WriteFile("password", "hunter2\n"),
        };
        var problems = new List<string>();

        SecretFileResolver.Apply(data, typeof(OptionsWithAFileOption), _directory, new HashSet<string>(), problems, []);

        Assert.That(problems, Is.Empty);
        Assert.That(data["Tls:CertificateFile"], Is.EqualTo("/does/not/exist.pem"), "CertificateFile is an option of its own");
        Assert.That(data["Tls:Password"], Is.EqualTo("hunter2"));
        Assert.That(data.ContainsKey("Tls:PasswordFile"), Is.False);
    }

    private sealed class OptionsWithAFileOption
    {
        public TlsSection Tls { get; set; } = new();

        public sealed class TlsSection
        {
            public string? CertificateFile { get; set; }

            public string? Password { get; set; }
        }
    }
}
