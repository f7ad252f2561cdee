using System.Diagnostics;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// The repository's pinned devnet tools (tools/devnet: anvil, LiteSVM devnet, SPL driver) and the token artifacts,
/// found from a starting folder or from the binary's folder, and installed with npm when node_modules is missing.
/// </summary>
public sealed class DevnetToolchain
{
    private DevnetToolchain(string root)
    {
        Root = root;
    }

    /// <summary>The clone's root: the folder that holds tools/devnet and contracts/.</summary>
    public string Root { get; }

    public string DevnetTools => Path.Combine(Root, "tools", "devnet");

    public string NodeModules => Path.Combine(DevnetTools, "node_modules");

    /// <summary>The anvil binary itself: npm's node_modules/.bin/anvil is a node wrapper whose death leaves anvil running.</summary>
    public string Anvil => Path.Combine(NodeModules, "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    public string SolanaServer => Path.Combine(DevnetTools, "solana", "server.mjs");

    public string SolanaDriver => Path.Combine(DevnetTools, "solana", "driver.mjs");

    public string Contracts => Path.Combine(Root, "contracts");

    /// <summary>The compiled USD1 token (contracts/artifacts/Usd1Token.json: bytecode and method identifiers).</summary>
    public string TokenArtifact => Artifact("Usd1Token");

    public bool IsAnvilInstalled => File.Exists(Anvil);

    public bool IsSolanaInstalled => Directory.Exists(Path.Combine(NodeModules, "litesvm")) && Directory.Exists(Path.Combine(NodeModules, "@solana", "kit"));

    public bool IsInstalled => IsAnvilInstalled && IsSolanaInstalled;

    /// <summary>A compiled contract of contracts/artifacts by name (Usd1Token, PlainToken, …).</summary>
    public string Artifact(string name) => Path.Combine(Contracts, "artifacts", name + ".json");

    /// <summary>The clone above <paramref name="startDirectory"/>, or else above the running binary.</summary>
    public static DevnetToolchain Locate(string startDirectory)
    {
        foreach (var start in new[] { startDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tools", "devnet", "package.json")) &&
                    File.Exists(Path.Combine(dir.FullName, "contracts", "artifacts", "Usd1Token.json")))
                {
                    return new DevnetToolchain(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException(
            $"the devnets need the repository's tools/devnet and contracts/artifacts; none found above {startDirectory} or {AppContext.BaseDirectory} (run from the clone)");
    }

    /// <summary>Fails with the command that installs them when anvil or the Solana devnet's packages are missing.</summary>
    public void RequireInstalled(bool anvil = true, bool solana = true)
    {
        if ((anvil && !IsAnvilInstalled) || (solana && !IsSolanaInstalled))
        {
            throw new InvalidOperationException($"the pinned devnet tools are not installed under {NodeModules}; run `npm ci` in tools/devnet (.ci/run does)");
        }
    }

    /// <summary>
    /// npm ci with the committed lockfile; when npm refuses that linux-x64-only lockfile (some npm versions do),
    /// npm install with it, which leaves it unchanged. Same order as .ci/run.
    /// </summary>
    public async Task InstallAsync(Action<string> report, CancellationToken cancellationToken)
    {
        report("installing the pinned devnet tools (npm, tools/devnet) — once per clone…");
        var (ok, output) = await NpmAsync("ci", cancellationToken);
        if (!ok)
        {
            (ok, var retry) = await NpmAsync("install", cancellationToken);
            output += retry;
        }

        if (!ok || !IsInstalled)
        {
            throw new InvalidOperationException($"installing tools/devnet with npm failed:\n{output}");
        }
    }

    private async Task<(bool Ok, string Output)> NpmAsync(string verb, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DevnetTools,
        };
        foreach (var argument in new[] { verb, "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start; the devnets need Node.js 20 with npm");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode == 0, await stdout + await stderr);
    }
}
