using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The repository's local Solana devnet (LiteSVM behind agave-shaped JSON-RPC) with an SPL mint, driven through
/// tools/devnet/solana/driver.mjs. Devnet-only, like <see cref="EvmDemoChain"/>: the driver signs with throwaway
/// keypairs it generates into the demo folder; the daemon never signs or sends anything.
/// </summary>
internal sealed class SolanaDemoChain
{
    private static readonly TimeSpan DriverTimeout = TimeSpan.FromMinutes(1);

    private readonly DevnetToolchain _tools;
    private readonly DevnetRpc _rpc;
    private readonly string _statePath;

    private SolanaDemoChain(DevnetToolchain tools, DemoProcess process, DevnetRpc rpc, string statePath)
    {
        _tools = tools;
        Process = process;
        _rpc = rpc;
        _statePath = statePath;
    }

    public string Name { get; } = "solana-local";

    public DemoProcess Process { get; }

    public Uri Url => _rpc.Url;

    public string Mint { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    /// <param name="slotInterval">A timer closes a slot this often, so the finalized slot keeps moving with no traffic.</param>
    /// <param name="finalityLag">Slots between the newest and the finalized slot (a cluster's is about 32).</param>
    public static async Task<SolanaDemoChain> StartAsync(
        DevnetToolchain tools, DemoProcessGroup group, string directory, TimeSpan slotInterval, int finalityLag, HttpClient http, CancellationToken cancellationToken)
    {
        var process = group.Add(DemoProcess.Start(
            "solana devnet",
            "node",
            [
                tools.SolanaServer, "--port", "0", "--finality-lag", finalityLag.ToString(CultureInfo.InvariantCulture),
                "--slot-interval-ms", ((int)slotInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ],
            tools.DevnetTools));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await process.FirstLine.WaitAsync(timeout.Token);
        using var ready = JsonDocument.Parse(line);
        var url = new Uri(ready.RootElement.GetProperty("rpcUrl").GetString()!);
        return new SolanaDemoChain(tools, process, new DevnetRpc(http, url), Path.Combine(directory, "solana-driver.json"));
    }

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

    private async Task<JsonDocument> DriverAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _tools.DevnetTools,
        };
        foreach (var argument in new[] { _tools.SolanaDriver, "--rpc", Url.ToString().TrimEnd('/'), "--state", _statePath }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana driver");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DriverTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return process.ExitCode == 0
            ? JsonDocument.Parse(await stdout)
            : throw new InvalidOperationException($"driver.mjs {arguments[0]} failed ({process.ExitCode}): {(await stderr).Trim()}");
    }
}
