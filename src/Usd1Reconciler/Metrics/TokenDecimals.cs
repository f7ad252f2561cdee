using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Each network's token decimals, read once from the chain (ERC-20 decimals(), SPL getTokenSupply) and cached: the
/// supply gauges are in whole tokens and a guessed scale would show a wrong number, so a network whose decimals are
/// not known yet gets no supply gauge rather than a guessed one.
/// </summary>
internal sealed class TokenDecimals(IReadOnlyList<NetworkOptions> networks, HttpClient http, ILogger? logger = null)
{
    private readonly ConcurrentDictionary<string, int> _known = new(StringComparer.Ordinal);

    public async Task<int?> GetAsync(string network, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(network, out var cached))
        {
            return cached;
        }

        var options = networks.FirstOrDefault(n => n.Name == network);
        if (options is null)
        {
            return null;
        }

        try
        {
            var rpc = new JsonRpcClient(http, network, options.RpcUrls.Select(u => new Uri(u)).ToList(), options.RequestTimeout, NullLogger.Instance);
            int decimals;
            if (options.Kind == NetworkKind.Solana)
            {
                decimals = (await new SolanaRpcClient(rpc).getTokenSupply(options.Mint!, SolanaCommitment.Finalized, cancellationToken)).Decimals;
            }
            else
            {
                var word = await new EvmRpcClient(rpc).eth_call(options.Token!, "0x313ce567", await new EvmRpcClient(rpc).eth_blockNumber(cancellationToken), cancellationToken);
                if (word.Length != 32 || word.AsSpan(0, 31).IndexOfAnyExcept((byte)0) >= 0 || word[31] > 77)
                {
                    return null;
                }

                decimals = word[31];
            }

            _known[network] = decimals;
            return decimals;
        }
        catch (Exception ex) when (ex is RpcException or RpcUnavailableException or FormatException)
        {
            logger?.LogDebug("network {Network}: token decimals not readable yet: {Reason}", network, ex.Message);
            return null;
        }
    }
}
