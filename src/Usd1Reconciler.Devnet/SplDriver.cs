using System.Diagnostics;
using System.Text.Json;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// tools/devnet/solana/driver.mjs against a Solana devnet: creates an SPL mint (Token or Token-2022, keypair or
/// multisig authority) and sends mints, burns, transfers and bulk loads as real signed transactions. The keypairs are
/// throwaway ones the driver generates into its state file; one state file = one mint.
/// </summary>
public sealed class SplDriver(DevnetToolchain tools, Uri rpcUrl, string statePath)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public string StatePath { get; } = statePath;

    /// <summary>
    /// Runs one driver command (<c>setup</c>, <c>mint</c>, <c>burn</c>, <c>transfer</c>, <c>fail</c>, <c>bulk</c>, with its
    /// flags) and returns the JSON it prints; a non-zero exit becomes an <see cref="InvalidOperationException"/> with
    /// the driver's stderr, and a run longer than <paramref name="timeout"/> (default 3 min) a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<JsonDocument> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var limit = timeout ?? DefaultTimeout;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = tools.DevnetTools,
        };
        foreach (var argument in new[] { tools.SolanaDriver, "--rpc", rpcUrl.ToString().TrimEnd('/'), "--state", StatePath }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana driver");
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"driver.mjs {string.Join(' ', arguments)} did not finish within {limit}");
        }

        return process.ExitCode == 0
            ? JsonDocument.Parse(await stdout)
            : throw new InvalidOperationException($"driver.mjs {(arguments.Count > 0 ? arguments[0] : string.Empty)} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
    }
}
