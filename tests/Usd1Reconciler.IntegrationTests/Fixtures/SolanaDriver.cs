using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// Runs tools/devnet/solana/driver.mjs against a devnet: creates a mint (Token or Token-2022, keypair or 2-of-3
/// multisig authority, legacy or v0 transactions) and sends mints, burns, transfers, failing burns and bulk loads,
/// all as real signed transactions over JSON-RPC. One driver = one mint, its state kept in a temp file.
/// </summary>
internal sealed class SolanaDriver : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly SolanaDevnetFixture _devnet;
    private readonly TempDirectory _directory = new("solana-driver");

    private SolanaDriver(SolanaDevnetFixture devnet)
    {
        _devnet = devnet;
    }

    public string Mint { get; private set; } = string.Empty;

    public string ProgramId { get; private set; } = string.Empty;

    /// <summary>The token account mints go to and burns come from (accounts.a).</summary>
    public string TokenAccount { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    public string Holder { get; private set; } = string.Empty;

    private string StatePath => _directory.File("state.json");

    public static string Script => Path.Combine(RepoPaths.DevnetTools, "solana", "driver.mjs");

    /// <param name="program">token or token2022.</param>
    /// <param name="v0">Send version-0 transactions; <paramref name="v1"/>: version-1 (SIMD-0385) ones. Neither: legacy.</param>
    public static async Task<SolanaDriver> SetupAsync(SolanaDevnetFixture devnet, string program = "token", bool multisig = false, bool v0 = false, bool v1 = false)
    {
        var driver = new SolanaDriver(devnet);
        var args = new List<string> { "setup", "--program", program, "--state", driver.StatePath };
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
        return driver;
    }

    public Task<string> MintAsync(ulong amount, bool isChecked = false) => SignatureOf("mint", amount, isChecked);

    public Task<string> BurnAsync(ulong amount, bool isChecked = false) => SignatureOf("burn", amount, isChecked);

    public Task<string> TransferAsync(ulong amount, bool isChecked = false) => SignatureOf("transfer", amount, isChecked);

    /// <summary>A burn of more than the balance sent without preflight: it lands as a failed transaction, fee charged.</summary>
    public async Task<string> FailingBurnAsync()
    {
        using var reply = await RunAsync(["fail", "--state", StatePath]);
        return reply.RootElement.GetProperty("signature").GetString()!;
    }

    /// <summary>Sends <paramref name="mints"/> mints then <paramref name="burns"/> burns (alternating checked/unchecked) in batches.</summary>
    public async Task<int> BulkAsync(int mints, int burns = 0)
    {
        using var reply = await RunAsync(
        [
            "bulk", "--state", StatePath, "--mints", mints.ToString(CultureInfo.InvariantCulture), "--burns", burns.ToString(CultureInfo.InvariantCulture),
        ]);
        return reply.RootElement.GetProperty("count").GetInt32();
    }

    public void Dispose() => _directory.Dispose();

    private async Task<string> SignatureOf(string command, ulong amount, bool isChecked)
    {
        var args = new List<string> { command, "--state", StatePath, "--amount", amount.ToString(CultureInfo.InvariantCulture) };
        if (isChecked)
        {
            args.Add("--checked");
        }

        using var reply = await RunAsync(args);
        return reply.RootElement.GetProperty("signature").GetString()!;
    }

    private async Task<JsonDocument> RunAsync(List<string> args)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.DevnetTools,
        };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("--rpc");
        start.ArgumentList.Add(_devnet.Url.ToString().TrimEnd('/'));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana driver");
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"driver.mjs {string.Join(' ', args)} did not finish within {CommandTimeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"driver.mjs {args[0]} failed with exit code {process.ExitCode}: {await stderr}");
        }

        return JsonDocument.Parse(await stdout);
    }
}
