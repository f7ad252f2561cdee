namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule "the daemon never holds a key and never sends a transaction", checked on what ships: the usd1rec
/// assembly and the projects it is built from (Core and the adapters) carry no transaction-sending or devnet-control
/// RPC method, no signing or private-key API and start no process (npm, forge, anvil, node). Whatever does any of that
/// belongs to Usd1Reconciler.Devnet or the demo, which the daemon never references (<see cref="ProjectReferenceRulesTests"/>).
/// Each finding names the assembly and, where the text is in the sources, the file and line.
/// </summary>
[TestFixture]
public sealed class ReadOnlyDaemonRulesTests
{
    private const string Rule = "house rule 'the daemon never holds a key and never sends a transaction'";

    /// <summary>The daemon's assemblies and the source folder each is built from.</summary>
    private static readonly (string Assembly, string Sources)[] DaemonAssemblies =
    [
        ("usd1rec.dll", "src/Usd1Reconciler"),
        ("Usd1Reconciler.Core.dll", "src/Usd1Reconciler.Core"),
        ("Usd1Reconciler.JsonRpc.dll", "src/Usd1Reconciler.JsonRpc"),
        ("Usd1Reconciler.Storage.dll", "src/Usd1Reconciler.Storage"),
        ("Usd1Reconciler.Reserves.dll", "src/Usd1Reconciler.Reserves"),
        ("Usd1Reconciler.Evm.dll", "src/Usd1Reconciler.Evm"),
        ("Usd1Reconciler.Solana.dll", "src/Usd1Reconciler.Solana"),
    ];

    /// <summary>
    /// RPC methods that send, sign or steer a chain (EVM: eth_send*, eth_sign*, personal_sign, anvil_*/evm_*/hardhat_*
    /// dev controls; Solana: sendTransaction, requestAirdrop, our devnet's devnet_* controls). A read-only indexer
    /// has no use for any; string literals containing one are refused.
    /// </summary>
    private static readonly string[] SendingRpcMethods =
    [
        "eth_sendTransaction", "eth_sendRawTransaction", "sendTransaction", "eth_sign", "personal_sign",
        "anvil_", "evm_", "hardhat_", "devnet_", "requestAirdrop",
    ];

    /// <summary>Devnet tools started by name (Usd1Reconciler.Devnet starts these); a literal equal to one is refused.</summary>
    private static readonly string[] DevnetProcessNames = ["npm", "npx", "node", "forge", "anvil", "cast"];

    /// <summary>Starting processes at all: the daemon runs no tool (the devnets' npm, forge, anvil, node).</summary>
    private static readonly string[] ProcessStartApis = ["System.Diagnostics.ProcessStartInfo", "System.Diagnostics.Process::Start"];

    /// <summary>
    /// Signing and private-key APIs. The daemon verifies custodian signatures with public keys only (HMAC and Ed25519
    /// verification stay allowed); creating signatures, private keys or key pairs is refused.
    /// </summary>
    private static readonly string[] SigningMemberNames =
        ["::SignData", "::SignHash", "::TrySignData", "::TrySignHash", "::GenerateSignature", "::ImportPkcs8PrivateKey", "::ImportECPrivateKey", "::ImportRSAPrivateKey"];

    private static readonly string[] SigningTypeNameParts = ["PrivateKey", "KeyPairGenerator", "Keypair", "KeyPair"];

    private static readonly string[] AsymmetricSigningTypes =
        ["System.Security.Cryptography.ECDsa", "System.Security.Cryptography.RSA", "System.Security.Cryptography.DSA"];

    [Test]
    public void DaemonAssemblies_StringLiterals_NameNoSendingOrDevnetRpcMethod()
    {
        var broken = Daemon()
            .SelectMany(scan => scan.Metadata.UserStrings
                .SelectMany(literal => SendingRpcMethods.Where(method => literal.Contains(method, StringComparison.Ordinal)))
                .Distinct(StringComparer.Ordinal)
                .Select(method => Finding(scan, $"the RPC method name '{method}'", method)))
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: no transaction-sending, signing or devnet-control RPC method in the daemon:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void DaemonAssemblies_ProcessStarts_None()
    {
        var broken = Daemon()
            .SelectMany(scan => scan.Metadata.TypeReferences.Concat(scan.Metadata.MemberReferences)
                .Where(reference => ProcessStartApis.Contains(reference, StringComparer.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .Select(reference => Finding(scan, reference, SourceName(reference))))
            .Concat(Daemon()
                .SelectMany(scan => scan.Metadata.UserStrings
                    .Where(literal => DevnetProcessNames.Contains(literal, StringComparer.Ordinal))
                    .Distinct(StringComparer.Ordinal)
                    .Select(literal => Finding(scan, $"the tool name \"{literal}\"", $"\"{literal}\""))))
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: the daemon starts no process (npm, forge, anvil and node belong to Usd1Reconciler.Devnet):\n{string.Join('\n', broken)}");
    }

    [Test]
    public void DaemonAssemblies_SigningApis_None()
    {
        var broken = Daemon()
            .SelectMany(scan => scan.Metadata.MemberReferences
                .Where(reference => SigningMemberNames.Any(name => reference.EndsWith(name, StringComparison.Ordinal)))
                .Concat(scan.Metadata.TypeReferences.Where(IsSigningType))
                .Distinct(StringComparer.Ordinal)
                .Select(reference => Finding(scan, reference, SourceName(reference))))
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: no signing, private-key or key-pair API in the daemon (verification with public keys only):\n{string.Join('\n', broken)}");
    }

    [Test]
    public void Read_DevnetAssembly_FindsItsSendingAndProcessStarts()
    {
        // The scan must see what the rules refuse: Usd1Reconciler.Devnet sends transactions and starts npm and anvil.
        var devnet = AssemblyMetadataScan.Read(Path.Combine(AppContext.BaseDirectory, "Usd1Reconciler.Devnet.dll"));

        Assert.Multiple(() =>
        {
            Assert.That(devnet.UserStrings, Does.Contain("eth_sendTransaction"), "AnvilSender's RPC method is a string literal");
            Assert.That(devnet.UserStrings, Does.Contain("npm"), "DevnetToolchain starts npm by name");
            Assert.That(devnet.TypeReferences, Does.Contain("System.Diagnostics.ProcessStartInfo"), "DevnetProcess builds a ProcessStartInfo");
            Assert.That(devnet.MemberReferences, Does.Contain("System.Diagnostics.Process::Start"), "DevnetProcess calls Process.Start");
        });
    }

    private static bool IsSigningType(string typeReference) =>
        AsymmetricSigningTypes.Contains(typeReference, StringComparer.Ordinal) ||
        SigningTypeNameParts.Any(part => typeReference[(typeReference.LastIndexOf('.') + 1)..].Contains(part, StringComparison.Ordinal));

    /// <summary>The name as source text would spell it: "Process::Start" → "Start(", a type → its simple name.</summary>
    private static string SourceName(string reference)
    {
        var member = reference.IndexOf("::", StringComparison.Ordinal);
        return member >= 0 ? reference[(member + 2)..] + "(" : reference[(reference.LastIndexOfAny(['.', '+']) + 1)..];
    }

    private static List<(AssemblyMetadataScan Metadata, string Sources)> Daemon() =>
        DaemonAssemblies
            .Select(assembly => (AssemblyMetadataScan.Read(Path.Combine(AppContext.BaseDirectory, assembly.Assembly)), assembly.Sources))
            .ToList();

    /// <summary>"usd1rec.dll: the RPC method name 'evm_' (src/Usd1Reconciler/Cli/X.cs:12)".</summary>
    private static string Finding((AssemblyMetadataScan Metadata, string Sources) scan, string what, string sourceText)
    {
        var lines = SourceTree.CSharpFiles(scan.Sources)
            .SelectMany(file => File.ReadLines(file)
                .Select((line, index) => (line, index))
                .Where(entry => entry.line.Contains(sourceText, StringComparison.Ordinal))
                .Select(entry => $"{SourceTree.Relative(file)}:{entry.index + 1}"))
            .Take(5)
            .ToList();
        var where = lines.Count > 0 ? string.Join(", ", lines) : $"not spelled out in {scan.Sources} (generated or built from parts)";
        return $"{Path.GetFileName(scan.Metadata.Path)}: {what} ({where})";
    }
}
