using System.Diagnostics;
using System.Text.Json;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>The LiteSVM devnet server and its SPL mint (driver.mjs setup), with the long-lived sender of <see cref="SolanaSender"/>.</summary>
internal sealed class SolanaNetwork : IAsyncDisposable
{
    public const string Name = "solana-local";

    /// <summary>
    /// A long-lived node process that sends mints and burns through driver.mjs's library functions, one per stdin line
    /// ("mint &lt;base units&gt;" / "burn &lt;base units&gt;"), answering one JSON line each. Starting driver.mjs's CLI per transaction
    /// costs ~0.35 s of CPU on this machine (loading @solana/kit), a quarter of a core at this rate. A fresh blockhash
    /// per transaction: the driver reuses one 50 times, which at 1.5 s apart outlives its 150 slots of 400 ms.
    /// Its inputs come as environment variables: with `-e`, argv[1] would be driver.mjs's path, and driver.mjs runs its
    /// CLI when argv[1] names it.
    /// </summary>
    private const string SolanaSender = """
        import fs from 'node:fs';
        import readline from 'node:readline';
        import { pathToFileURL } from 'node:url';
        const driver = await import(pathToFileURL(process.env.BENCH_SOLANA_DRIVER).href);
        const ctx = driver.connect(process.env.BENCH_SOLANA_RPC);
        const state = JSON.parse(fs.readFileSync(process.env.BENCH_SOLANA_STATE, 'utf8'));
        for await (const line of readline.createInterface({ input: process.stdin })) {
          const [verb, amount] = line.split(' ');
          ctx.blockhash = null;
          try {
            const signature = await (verb === 'mint' ? driver.mintTo : driver.burn)(ctx, state, BigInt(amount));
            console.log(JSON.stringify({ signature }));
          } catch (e) {
            console.log(JSON.stringify({ error: String(e?.message ?? e) }));
          }
        }
        """;

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _server;
    private Process? _sender;

    private SolanaNetwork(Process server, Uri url)
    {
        _server = server;
        Url = url;
    }

    public Uri Url { get; }

    public int ServerPid => _server.Id;

    public int? SenderPid => _sender?.Id;

    public string Mint { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    public static async Task<SolanaNetwork> StartAsync(string work, CancellationToken cancellationToken)
    {
        var server = Start("node", ["tools/devnet/solana/server.mjs", "--port", "0", "--finality-lag", "32", "--slot-interval-ms", "400"]);
        SolanaNetwork? network = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var line = await server.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the Solana devnet printed nothing");
            using (var ready = JsonDocument.Parse(line))
            {
                network = new SolanaNetwork(server, new Uri(ready.RootElement.GetProperty("rpcUrl").GetString()!));
            }

            var state = Path.Combine(work, "solana-driver.json");
            using (var setupRun = Start("node", ["tools/devnet/solana/driver.mjs", "--rpc", network.Url.ToString().TrimEnd('/'), "setup", "--program", "token", "--state", state]))
            {
                // The state it prints (throwaway devnet keypairs) is read from the file instead.
                await setupRun.StandardOutput.ReadToEndAsync(cancellationToken);
                await setupRun.WaitForExitAsync(cancellationToken);
                if (setupRun.ExitCode != 0)
                {
                    throw new InvalidOperationException($"driver.mjs setup exited with {setupRun.ExitCode}");
                }
            }

            using (var setup = JsonDocument.Parse(await File.ReadAllTextAsync(state, cancellationToken)))
            {
                network.Mint = setup.RootElement.GetProperty("mint").GetString()!;
                network.MintAuthority = setup.RootElement.GetProperty("mintAuthority").GetProperty("address").GetString()!;
            }

            network._sender = Start("node", ["--input-type=module", "-e", SolanaSender], new Dictionary<string, string>
            {
                ["BENCH_SOLANA_DRIVER"] = Path.Combine(BenchEnvironment.Repo, "tools/devnet/solana/driver.mjs"),
                ["BENCH_SOLANA_RPC"] = network.Url.ToString().TrimEnd('/'),
                ["BENCH_SOLANA_STATE"] = state,
            });
            return network;
        }
        catch
        {
            if (network is not null)
            {
                await network.DisposeAsync();
            }
            else
            {
                await StopAsync(server);
            }

            throw;
        }
    }

    public async Task StepAsync(int step, CancellationToken cancellationToken)
    {
        var sender = _sender ?? throw new InvalidOperationException("the Solana sender is not running");
        var command = step % 3 == 2 ? BenchEnvironment.Invariant($"burn {TrafficLoop.BurnAmount}") : BenchEnvironment.Invariant($"mint {TrafficLoop.MintAmount}");
        await sender.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
        await sender.StandardInput.FlushAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        var line = await sender.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"the Solana sender exited ({(sender.HasExited ? sender.ExitCode : -1)})");
        using var reply = JsonDocument.Parse(line);
        if (reply.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{Name}: {error.GetString()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sender is not null)
        {
            await StopAsync(_sender);
        }

        await StopAsync(_server);
    }

    /// <param name="senderEnvironment">Given for the sender only, which also gets a standard input.</param>
    private static Process Start(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? senderEnvironment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = senderEnvironment is not null,
            WorkingDirectory = BenchEnvironment.Repo,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in senderEnvironment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
