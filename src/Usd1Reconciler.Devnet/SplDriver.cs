using System.Diagnostics;
using System.Text.Json;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// tools/devnet/solana/driver.mjs against a Solana devnet: creates an SPL mint (Token or Token-2022, keypair or
/// multisig authority) and sends mints, burns, transfers and bulk loads as real signed transactions. The keypairs are
/// throwaway ones the driver generates into its state file; one state file = one mint.
/// <para>
/// Privileged actions, each a real signed transaction: setAuthority of any mint authority type (signed by the
/// current authority in the state file, which the driver then updates), freezeAccount / thawAccount (signed by the
/// freeze authority) and a new multisig account (initializeMultisig). A mint gets a freeze authority and Token-2022
/// extension authorities with <c>setup --freeze-authority --extensions mintCloseAuthority,permanentDelegate,metadataPointer</c>.
/// </para>
/// </summary>
public sealed class SplDriver(DevnetToolchain tools, Uri rpcUrl, string statePath)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public string StatePath { get; } = statePath;

    /// <summary>
    /// setAuthority on the mint. <paramref name="authorityType"/> is agave's name (mintTokens, freezeAccount, closeMint,
    /// permanentDelegate, metadataPointer, …); <paramref name="newAuthority"/> an address whose key the driver does not
    /// hold, or null for none. Returns the signature.
    /// </summary>
    public Task<string> SetAuthorityAsync(string authorityType, string? newAuthority, CancellationToken cancellationToken) =>
        SignatureOf(newAuthority is null
            ? ["set-authority", "--type", authorityType, "--none"]
            : ["set-authority", "--type", authorityType, "--to", newAuthority], cancellationToken);

    /// <summary>setAuthority to a fresh keypair the driver keeps (so it can sign later); returns the signature and the new authority.</summary>
    public async Task<(string Signature, string NewAuthority)> SetAuthorityToNewKeyAsync(string authorityType, CancellationToken cancellationToken)
    {
        using var reply = await RunAsync(["set-authority", "--type", authorityType, "--to-new"], cancellationToken);
        return (reply.RootElement.GetProperty("signature").GetString()!, reply.RootElement.GetProperty("newAuthority").GetString()!);
    }

    /// <summary>freezeAccount of a token account (<c>a</c>, <c>b</c> or an address); returns the signature.</summary>
    public Task<string> FreezeAsync(string account, CancellationToken cancellationToken) => SignatureOf(["freeze", "--account", account], cancellationToken);

    /// <summary>thawAccount of a token account (<c>a</c>, <c>b</c> or an address); returns the signature.</summary>
    public Task<string> ThawAsync(string account, CancellationToken cancellationToken) => SignatureOf(["thaw", "--account", account], cancellationToken);

    /// <summary>
    /// Creates an m-of-n multisig of the mint's program (createAccount + initializeMultisig) and, with
    /// <paramref name="assignAuthorityType"/>, makes it that authority of the mint (a second transaction, setAuthority;
    /// the driver keeps the signers' keys so the multisig can sign later). Returns the signatures and its address.
    /// </summary>
    public async Task<(string Signature, string Multisig, string? AssignSignature)> CreateMultisigAsync(int m, int n, string? assignAuthorityType, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "multisig", "--m", m.ToString(System.Globalization.CultureInfo.InvariantCulture), "--n", n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (assignAuthorityType is not null)
        {
            arguments.AddRange(["--assign", assignAuthorityType]);
        }

        using var reply = await RunAsync(arguments, cancellationToken);
        var root = reply.RootElement;
        var assigned = root.TryGetProperty("assignSignature", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.String ? a.GetString() : null;
        return (root.GetProperty("signature").GetString()!, root.GetProperty("multisig").GetString()!, assigned);
    }

    private async Task<string> SignatureOf(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var reply = await RunAsync(arguments, cancellationToken);
        return reply.RootElement.GetProperty("signature").GetString()!;
    }

    /// <summary>
    /// Runs one driver command (<c>setup</c>, <c>mint</c>, <c>burn</c>, <c>transfer</c>, <c>fail</c>, <c>bulk</c>,
    /// <c>set-authority</c>, <c>freeze</c>, <c>thaw</c>, <c>multisig</c>, with its
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
