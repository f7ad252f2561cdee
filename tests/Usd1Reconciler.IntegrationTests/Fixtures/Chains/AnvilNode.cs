using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Devnet;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A real anvil for one test: Usd1Reconciler.Devnet's <see cref="AnvilProcess"/> (free loopback port, private cache
/// folder, stopped by PID) plus what tests want on top — the daemon's own <see cref="JsonRpcClient"/> on it, so a
/// test reads the chain the way the indexer does.
/// </summary>
internal sealed class AnvilNode : IAsyncDisposable
{
    private readonly AnvilProcess _anvil;
    private readonly HttpClient _http = new();

    private AnvilNode(AnvilProcess anvil)
    {
        _anvil = anvil;
        Rpc = new JsonRpcClient(_http, $"anvil-{anvil.ChainId}", [anvil.Url], TimeSpan.FromSeconds(30), NullLogger.Instance);
    }

    public Uri Url => _anvil.Url;

    public long ChainId => _anvil.ChainId;

    public JsonRpcClient Rpc { get; }

    /// <summary>Sends from anvil's unlocked accounts (the test plays the issuer and its users).</summary>
    public AnvilSender Sender => new(_anvil.Rpc);

    /// <param name="extraArguments">Further anvil arguments, e.g. <c>--timestamp</c> for a genesis in the past.</param>
    public static async Task<AnvilNode> StartAsync(long chainId = 31337, IReadOnlyList<string>? extraArguments = null)
    {
        var anvil = await AnvilProcess.StartAsync(
            RepoPaths.Devnet,
            new AnvilOptions
            {
                Name = $"anvil-{chainId}", ChainId = chainId, Port = FreePort.Next(), GasLimit = 1_000_000_000, ReadyTimeout = TimeSpan.FromSeconds(20),
                ExtraArguments = extraArguments ?? [],
            },
            CancellationToken.None);
        return new AnvilNode(anvil);
    }

    public Task<JsonElement> CallAsync(string method, params object?[] parameters) => Rpc.CallAsync(method, parameters, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _anvil.DisposeAsync();
        }
        finally
        {
            _http.Dispose();
        }
    }
}
