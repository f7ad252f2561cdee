using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Devnet;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The repository's local Solana devnet (LiteSVM behind agave-shaped JSON-RPC) with an SPL mint, driven through
/// tools/devnet/solana/driver.mjs (Usd1Reconciler.Devnet's <see cref="SplDriver"/>). Devnet-only, like
/// <see cref="EvmDemoChain"/>: the driver signs with throwaway keypairs it generates into the demo folder; the daemon
/// never signs or sends anything.
/// </summary>
internal sealed class SolanaDemoChain : IDisposable
{
    private static readonly TimeSpan DriverTimeout = TimeSpan.FromMinutes(1);

    private readonly DevnetRpc _rpc;
    private readonly SplDriver _driver;

    private SolanaDemoChain(DevnetToolchain tools, SolanaDevnetProcess devnet, string statePath)
    {
        Process = devnet.Process;
        _rpc = devnet.Rpc;
        _driver = new SplDriver(tools, devnet.Url, statePath);
    }

    public string Name { get; } = "solana-local";

    public DevnetProcess Process { get; }

    public Uri Url => _rpc.Url;

    public string Mint { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    /// <param name="slotInterval">A timer closes a slot this often, so the finalized slot keeps moving with no traffic.</param>
    /// <param name="finalityLag">Slots between the newest and the finalized slot (a cluster's is about 32).</param>
    public static async Task<SolanaDemoChain> StartAsync(
        DevnetToolchain tools, DevnetProcessGroup group, string directory, TimeSpan slotInterval, int finalityLag, CancellationToken cancellationToken)
    {
        var devnet = await SolanaDevnetProcess.StartAsync(tools, finalityLag, slotInterval, cancellationToken);
        group.Add(devnet.Process);
        return new SolanaDemoChain(tools, devnet, Path.Combine(directory, "solana-driver.json"));
    }

    /// <summary>Ends the SPL driver's process (the devnet itself belongs to the demo's process group).</summary>
    public void Dispose() => _driver.Dispose();

    /// <summary>Creates the mint (6 decimals, classic Token program), a holder and two token accounts.</summary>
    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        using var state = await DriverAsync(["setup", "--program", "token"], cancellationToken);
        Mint = state.RootElement.GetProperty("mint").GetString()!;
        MintAuthority = state.RootElement.GetProperty("mintAuthority").GetProperty("address").GetString()!;
    }

    public Task MintAsync(BigInteger amount, CancellationToken cancellationToken) => AmountCommandAsync("mint", amount, cancellationToken);

    public Task BurnAsync(BigInteger amount, CancellationToken cancellationToken) => AmountCommandAsync("burn", amount, cancellationToken);

    public Task TransferAsync(BigInteger amount, CancellationToken cancellationToken) => AmountCommandAsync("transfer", amount, cancellationToken);

    /// <summary>A history to backfill: many small mints then burns, sent as batches.</summary>
    public async Task BulkAsync(int mints, int burns, CancellationToken cancellationToken) =>
        (await DriverAsync(["bulk", "--mints", mints.ToString(CultureInfo.InvariantCulture), "--burns", burns.ToString(CultureInfo.InvariantCulture)], cancellationToken)).Dispose();

    public async Task<BigInteger> TotalSupplyAsync(CancellationToken cancellationToken)
    {
        var reply = await _rpc.CallAsync("getTokenSupply", [Mint, new Dictionary<string, string> { ["commitment"] = "confirmed" }], cancellationToken);
        return BigInteger.Parse(reply.GetProperty("value").GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);
    }

    public async Task<long> SlotAsync(CancellationToken cancellationToken) =>
        (await _rpc.CallAsync("getSlot", [new Dictionary<string, string> { ["commitment"] = "confirmed" }], cancellationToken)).GetInt64();

    private async Task AmountCommandAsync(string command, BigInteger amount, CancellationToken cancellationToken) =>
        (await DriverAsync([command, "--amount", amount.ToString(CultureInfo.InvariantCulture)], cancellationToken)).Dispose();

    private Task<JsonDocument> DriverAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _driver.RunAsync(arguments, cancellationToken, DriverTimeout);
}
