using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Devnet;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// Runs tools/devnet/solana/driver.mjs against a devnet: creates a mint (Token or Token-2022, keypair or 2-of-3
/// multisig authority, legacy or v0 transactions) and sends mints, burns, transfers, failing burns and bulk loads,
/// all as real signed transactions over JSON-RPC (Usd1Reconciler.Devnet's <see cref="SplDriver"/>). One driver = one
/// mint, its state kept in a temp file.
/// </summary>
internal sealed class SolanaDriver : IDisposable
{
    private readonly TempDirectory _directory = new("solana-driver");
    private readonly SplDriver _driver;

    private SolanaDriver(SolanaDevnetFixture devnet)
    {
        _driver = new SplDriver(RepoPaths.Devnet, devnet.Url, _directory.File("state.json"));
    }

    public string Mint { get; private set; } = string.Empty;

    public string ProgramId { get; private set; } = string.Empty;

    /// <summary>The token account mints go to and burns come from (accounts.a).</summary>
    public string TokenAccount { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    public string Holder { get; private set; } = string.Empty;

    /// <summary>Authority type (mintTokens, freezeAccount, closeMint, permanentDelegate, metadataPointer) → the keypair setup made for it.</summary>
    public IReadOnlyDictionary<string, string> Authorities { get; private set; } = new Dictionary<string, string>();

    /// <param name="program">token or token2022.</param>
    /// <param name="v0">Send version-0 transactions; <paramref name="v1"/>: version-1 (SIMD-0385) ones. Neither: legacy.</param>
    /// <param name="freezeAuthority">Give the mint a freeze authority (a keypair).</param>
    /// <param name="extensions">Token-2022 mint extensions with authorities, comma-separated: mintCloseAuthority, permanentDelegate, metadataPointer.</param>
    public static async Task<SolanaDriver> SetupAsync(
        SolanaDevnetFixture devnet, string program = "token", bool multisig = false, bool v0 = false, bool v1 = false, bool freezeAuthority = false, string? extensions = null)
    {
        var driver = new SolanaDriver(devnet);
        var args = new List<string> { "setup", "--program", program };
        if (freezeAuthority)
        {
            args.Add("--freeze-authority");
        }

        if (extensions is not null)
        {
            args.AddRange(["--extensions", extensions]);
        }

        if (multisig)
        {
            args.Add("--multisig");
        }

        if (v0)
        {
            args.Add("--v0");
        }

        if (v1)
        {
            args.Add("--v1");
        }

        using var state = await driver.RunAsync(args);
        var root = state.RootElement;
        driver.Mint = root.GetProperty("mint").GetString()!;
        driver.ProgramId = root.GetProperty("programId").GetString()!;
        driver.TokenAccount = root.GetProperty("accounts").GetProperty("a").GetString()!;
        driver.MintAuthority = root.GetProperty("mintAuthority").GetProperty("address").GetString()!;
        driver.Holder = root.GetProperty("holder").GetProperty("address").GetString()!;
        driver.Authorities = root.GetProperty("authorities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("address").GetString()!);
        return driver;
    }

    /// <summary>setAuthority of <paramref name="authorityType"/> to a key nobody here holds, or to none (null).</summary>
    public Task<string> SetAuthorityAsync(string authorityType, string? newAuthority) => _driver.SetAuthorityAsync(authorityType, newAuthority, CancellationToken.None);

    /// <summary>setAuthority to a fresh keypair the driver keeps (it can sign later).</summary>
    public Task<(string Signature, string NewAuthority)> SetAuthorityToNewKeyAsync(string authorityType) => _driver.SetAuthorityToNewKeyAsync(authorityType, CancellationToken.None);

    /// <summary>freezeAccount of accounts.a (or <paramref name="account"/>: b or an address).</summary>
    public Task<string> FreezeAsync(string account = "a") => _driver.FreezeAsync(account, CancellationToken.None);

    public Task<string> ThawAsync(string account = "a") => _driver.ThawAsync(account, CancellationToken.None);

    /// <summary>A 2-of-3 multisig, made <paramref name="assignAuthorityType"/> of the mint when given.</summary>
    public Task<(string Signature, string Multisig, string? AssignSignature)> CreateMultisigAsync(string? assignAuthorityType = null) =>
        _driver.CreateMultisigAsync(2, 3, assignAuthorityType, CancellationToken.None);

    public Task<string> MintAsync(ulong amount, bool isChecked = false) => SignatureOf("mint", amount, isChecked);

    public Task<string> BurnAsync(ulong amount, bool isChecked = false) => SignatureOf("burn", amount, isChecked);

    public Task<string> TransferAsync(ulong amount, bool isChecked = false) => SignatureOf("transfer", amount, isChecked);

    /// <summary>A burn of more than the balance sent without preflight: it lands as a failed transaction, fee charged.</summary>
    public async Task<string> FailingBurnAsync()
    {
        using var reply = await RunAsync(["fail"]);
        return reply.RootElement.GetProperty("signature").GetString()!;
    }

    /// <summary>Sends <paramref name="mints"/> mints then <paramref name="burns"/> burns (alternating checked/unchecked) in batches.</summary>
    public async Task<int> BulkAsync(int mints, int burns = 0)
    {
        using var reply = await RunAsync(
        [
            "bulk", "--mints", mints.ToString(CultureInfo.InvariantCulture), "--burns", burns.ToString(CultureInfo.InvariantCulture),
        ]);
        return reply.RootElement.GetProperty("count").GetInt32();
    }

    public void Dispose()
    {
        _driver.Dispose();
        _directory.Dispose();
    }

    private async Task<string> SignatureOf(string command, ulong amount, bool isChecked)
    {
        var args = new List<string> { command, "--amount", amount.ToString(CultureInfo.InvariantCulture) };
        if (isChecked)
        {
            args.Add("--checked");
        }

        using var reply = await RunAsync(args);
        return reply.RootElement.GetProperty("signature").GetString()!;
    }

    private Task<JsonDocument> RunAsync(List<string> args) => _driver.RunAsync(args, CancellationToken.None);
}
