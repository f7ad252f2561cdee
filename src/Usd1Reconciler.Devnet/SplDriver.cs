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
public sealed class SplDriver(DevnetToolchain tools, Uri rpcUrl, string statePath) : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly System.Text.StringBuilder _stderr = new();
    private Process? _server;
    private bool _disposed;

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
    /// flags) and returns the JSON it prints; a failed command becomes an <see cref="InvalidOperationException"/> with
    /// the driver's error, and a run longer than <paramref name="timeout"/> (default 3 min) a <see cref="TimeoutException"/>.
    /// <para>
    /// Commands go to one long-lived <c>driver.mjs --serve</c> process, one at a time: starting node and loading
    /// @solana/kit costs about 0.4 s of CPU, which a test sending a dozen commands paid a dozen times. A timed
    /// out or cancelled command kills that process (its reply could still arrive and be read as the next one's); the
    /// next command starts a fresh one.
    /// </para>
    /// </summary>
    public async Task<JsonDocument> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var limit = timeout ?? DefaultTimeout;
        var request = JsonSerializer.Serialize(new[] { "--rpc", rpcUrl.ToString().TrimEnd('/'), "--state", StatePath }.Concat(arguments));
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(limit);
            string? line;
            try
            {
                var server = _server ??= StartServer();
                await server.StandardInput.WriteLineAsync(request.AsMemory(), timer.Token);
                await server.StandardInput.FlushAsync(timer.Token);
                line = await server.StandardOutput.ReadLineAsync(timer.Token);
            }
            catch (IOException)
            {
                // The driver process ended before taking the command (a broken pipe): reported below with its stderr.
                line = null;
            }
            catch (OperationCanceledException)
            {
                StopServer(graceful: false);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new TimeoutException($"driver.mjs {string.Join(' ', arguments)} did not finish within {limit}");
            }

            if (line is null)
            {
                StopServer(graceful: false);
                string stderr;
                lock (_stderr)
                {
                    stderr = _stderr.ToString().Trim();
                }

                throw new InvalidOperationException($"driver.mjs {Command(arguments)} failed: the driver process ended: {stderr}");
            }

            using var reply = JsonDocument.Parse(line);
            var root = reply.RootElement;
            if (!root.GetProperty("ok").GetBoolean())
            {
                throw new InvalidOperationException($"driver.mjs {Command(arguments)} failed: {root.GetProperty("error").GetString()?.Trim()}");
            }

            return JsonDocument.Parse(root.GetProperty("result").GetRawText());
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Ends the driver process (closing its stdin ends it cleanly; it is killed if it does not end soon).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopServer(graceful: true);
        _oneAtATime.Dispose();
    }

    private static string Command(IReadOnlyList<string> arguments) => arguments.Count > 0 ? arguments[0] : string.Empty;

    private Process StartServer()
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = tools.DevnetTools,
        };
        start.ArgumentList.Add(tools.SolanaDriver);
        start.ArgumentList.Add("--serve");
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana driver");
        lock (_stderr)
        {
            _stderr.Clear();
        }

        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    /// <param name="graceful">Close stdin and let it finish (at dispose); otherwise kill it (a command timed out).</param>
    private void StopServer(bool graceful)
    {
        if (_server is not { } server)
        {
            return;
        }

        _server = null;
        try
        {
            if (graceful)
            {
                server.StandardInput.Close();
            }

            if (!graceful || !server.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // It had already ended.
        }
        finally
        {
            server.Dispose();
        }
    }
}
