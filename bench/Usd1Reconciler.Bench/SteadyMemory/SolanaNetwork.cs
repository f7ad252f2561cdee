using System.Diagnostics;
using System.Text.Json;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>
/// The LiteSVM devnet (Usd1Reconciler.Devnet's <see cref="SolanaDevnetProcess"/>, a slot every 400 ms) and its SPL mint
/// (<see cref="SplDriver"/> setup), with the long-lived sender of <see cref="SolanaSender"/>.
/// </summary>
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

    private readonly SolanaDevnetProcess _devnet;
    private Process? _sender;

    private SolanaNetwork(SolanaDevnetProcess devnet)
    {
        _devnet = devnet;
    }

    public Uri Url => _devnet.Url;

    public int ServerPid => _devnet.Process.Id;

    public int? SenderPid => _sender?.Id;

    public string Mint { get; private set; } = string.Empty;

    public string MintAuthority { get; private set; } = string.Empty;

    public static async Task<SolanaNetwork> StartAsync(string work, CancellationToken cancellationToken)
    {
        var network = new SolanaNetwork(await SolanaDevnetProcess.StartAsync(BenchEnvironment.Devnet, finalityLag: 32, slotInterval: TimeSpan.FromMilliseconds(400), cancellationToken));
        try
        {
            using var driver = new SplDriver(BenchEnvironment.Devnet, network.Url, Path.Combine(work, "solana-driver.json"));

            // The state it prints (throwaway devnet keypairs) is read from the file instead.
            (await driver.RunAsync(["setup", "--program", "token"], cancellationToken)).Dispose();
            using (var setup = JsonDocument.Parse(await File.ReadAllTextAsync(driver.StatePath, cancellationToken)))
            {
                network.Mint = setup.RootElement.GetProperty("mint").GetString()!;
                network.MintAuthority = setup.RootElement.GetProperty("mintAuthority").GetProperty("address").GetString()!;
            }

            network._sender = StartSender(new Dictionary<string, string>
            {
                ["BENCH_SOLANA_DRIVER"] = BenchEnvironment.Devnet.SolanaDriver,
                ["BENCH_SOLANA_RPC"] = network.Url.ToString().TrimEnd('/'),
                ["BENCH_SOLANA_STATE"] = driver.StatePath,
            });
            return network;
        }
        catch
        {
            await network.DisposeAsync();
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
            if (!_sender.HasExited)
            {
                _sender.Kill();
                await _sender.WaitForExitAsync();
            }

            _sender.Dispose();
        }

        await _devnet.DisposeAsync();
    }

    /// <summary>The sender: node running <see cref="SolanaSender"/>, its inputs as environment variables, with a standard input.</summary>
    private static Process StartSender(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = BenchEnvironment.Repo,
        };
        foreach (var a in new[] { "--input-type=module", "-e", SolanaSender })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana sender");
    }
}
