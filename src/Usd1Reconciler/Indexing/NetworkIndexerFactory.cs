using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Solana.Rpc;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Indexing;

/// <summary>Turns validated network options into the indexer for that kind of chain.</summary>
internal static class NetworkIndexerFactory
{
    public static INetworkIndexer Create(NetworkOptions options, SqliteSupplyStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers) =>
        options.Kind switch
        {
            NetworkKind.Evm => EvmIndexer.Create(
                new EvmNetworkSettings(
                    options.Name,
                    options.ChainId!.Value,
                    options.RpcUrls.Select(u => new Uri(u)).ToList(),
                    options.Token!,
                    options.StartBlock,
                    options.Confirmations,
                    options.MaxBlockRange,
                    options.RequestTimeout,
                    options.MaxHeadLag ?? EvmNetworkSettings.DefaultMaxHeadLag,
                    Resilience(options)),
                store,
                http,
                time,
                loggers),
            NetworkKind.Solana => SolanaIndexer.Create(
                new SolanaNetworkSettings(
                    options.Name,
                    options.Mint!,
                    options.Commitment == "finalized" ? SolanaCommitment.Finalized : SolanaCommitment.Confirmed,
                    options.RpcUrls.Select(u => new Uri(u)).ToList(),
                    options.RequestTimeout)
                {
                    MaxSlotLag = options.MaxHeadLag ?? SolanaNetworkSettings.DefaultMaxSlotLag,
                    Resilience = Resilience(options),
                    // Beside the store, on the data volume: /tmp may be a small tmpfs (docker/docker-compose.yml).
                    SpoolDirectory = Path.GetDirectoryName(store.Path),
                },
                store,
                http,
                time,
                loggers),
            _ => throw new NotSupportedException($"network '{options.Name}': kind {options.Kind} is not supported by this build"),
        };

    private static RpcResilienceOptions? Resilience(NetworkOptions options) =>
        options.MaxRequestsPerSecond is { } budget ? RpcResilienceOptions.Default with { MaxRequestsPerSecond = budget } : null;
}
