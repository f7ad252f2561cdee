using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Follows one ERC-20 token on one EVM network. Invariant: the stored headers above the final block are linked
/// parentHash ⇒ hash and end at the stored tip; every batch is checked to link onto that chain before it is committed
/// (with its events and the new tip, in one transaction), so a fork is always noticed at the tip and rolled back to the
/// common ancestor. A fork below the final block is refused with <see cref="DeepReorganizationException"/>.
/// </summary>
public sealed partial class EvmIndexer : INetworkIndexer, IEndpointHealthSource
{
    private const int MaxChainMovedRetries = 5;
    private const int HeadersPerBatch = 100;

    // Ranges in flight (asked, not yet answered) beside the ones fetched and the one being committed: enough to keep the
    // node and the store busy at the same time on two cores (more made a local node slower, see docs/benchmarks.md).
    // Fetched ranges are bounded by their bytes (RangeWindow), not by this count.
    private const int RangesInFlight = 3;

    // With a request budget, the ranges in flight are what keeps it used: about a quarter of a second's worth, so that
    // the replies' latency is covered (25 requests/s and ~100-200 ms per reply: 7 ranges), at most 16. They wait for
    // their turn in the budget before they are sent.
    private const int MaxRangesInFlight = 16;

    private readonly EvmNetworkSettings _settings;
    private readonly EvmRpcClient _rpc;
    private readonly ISupplyStore _store;
    private readonly IGovernanceStore? _governance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogRangeSizer _ranges;
    private readonly string _token;
    private readonly int _rangesInFlight;
    private readonly RangeWindow _window;
    private readonly IIndexProgress _progress;
    private readonly Lock _horizonGate = new();
    private Task<long>? _oldThrough;
    private long? _networkId;
    // Reply bytes per block of the range answered last: what a range of the current size is expected to weigh while in flight.
    private double _bytesPerBlock;

    /// <param name="governance">Where governance changes are read back and proofs kept; null: the store keeps none, so no governance proof is made.</param>
    public EvmIndexer(EvmNetworkSettings settings, EvmRpcClient rpc, ISupplyStore store, TimeProvider time, ILogger logger, IGovernanceStore? governance = null, IIndexProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _progress = progress ?? NullIndexProgress.Instance;
        _rpc = rpc;
        _store = store;
        _governance = governance;
        _time = time;
        _logger = logger;
        _ranges = new LogRangeSizer(settings.MaxBlockRange, requestsAreScarce: settings.Resilience?.MaxRequestsPerSecond is not null);
        _token = EvmHex.NormalizeAddress(settings.Token);
        LogTopics = BuildLogTopics();
        _rangesInFlight = settings.Resilience?.MaxRequestsPerSecond is { } budget
            ? Math.Clamp((budget + 3) / 4, RangesInFlight, MaxRangesInFlight)
            : RangesInFlight;
        _window = new RangeWindow(RangeWindow.DefaultMaxBytesHeld, _rangesInFlight);
    }

    public string Network => _settings.Name;

    /// <summary>Builds an indexer with its own JSON-RPC transport over <paramref name="http"/>.</summary>
    /// <param name="governance">Where governance changes are read back and proofs kept (the container's <see cref="IGovernanceStore"/>); null: no governance proof.</param>
    /// <param name="progress">Told of the cursor as each range commits; null: nobody watches.</param>
    public static EvmIndexer Create(EvmNetworkSettings settings, ISupplyStore store, HttpClient http, TimeProvider time, ILoggerFactory loggerFactory, IGovernanceStore? governance = null, IIndexProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<EvmIndexer>();
        var rpc = new JsonRpcClient(http, settings.Name, settings.RpcUrls, settings.RequestTimeout, logger, settings.Resilience, time);
        return new EvmIndexer(settings, new EvmRpcClient(rpc), store, time, logger, governance, progress);
    }

    public IReadOnlyList<EndpointHealth> GetEndpointHealth() => _rpc.Transport.GetEndpointHealth();

    public async Task<IndexPassResult> RunPassAsync(CancellationToken cancellationToken)
    {
        var networkId = await PrepareAsync(cancellationToken);
        var reorgs = 0;
        var added = 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var head = await _rpc.eth_blockNumber(cancellationToken);
                var finalTarget = await GetFinalTargetAsync(head, cancellationToken);
                if (await FollowForkAsync(networkId, head, cancellationToken))
                {
                    reorgs++;
                }

                added += await CatchUpAsync(networkId, head, finalTarget, cancellationToken);
                var tip = await _store.GetTipAsync(networkId, cancellationToken);
                if (tip is not null)
                {
                    await _store.FinalizeAsync(networkId, Math.Min(finalTarget, tip.Number), _time.GetUtcNow(), cancellationToken);
                }

                await _store.TouchAsync(networkId, _time.GetUtcNow(), cancellationToken);
                break;
            }
            catch (ChainMovedException ex) when (attempt < MaxChainMovedRetries)
            {
                _logger.LogInformation("network {Network}: chain moved while indexing ({Reason}); starting the pass over", Network, ex.Message);
            }
        }

        var finalBlock = await _store.GetFinalBlockAsync(networkId, cancellationToken);
        var tipNow = await _store.GetTipAsync(networkId, cancellationToken);
        var proof = await ProveLedgerAsync(networkId, finalBlock, cancellationToken);
        await ProveGovernanceAsync(finalBlock, cancellationToken);
        return new IndexPassResult(Network, tipNow?.Number ?? _settings.StartBlock - 1, finalBlock, added, reorgs, proof);
    }

    /// <summary>
    /// Every pass: decides which endpoints may be trusted (see <see cref="CheckEndpointsAsync"/>). First pass only: the
    /// token must have code, and the network is registered in the store.
    /// </summary>
    private async Task<long> PrepareAsync(CancellationToken cancellationToken)
    {
        await CheckEndpointsAsync(_networkId, cancellationToken);
        if (_networkId is { } known)
        {
            return known;
        }

        var code = await _rpc.eth_getCode(_token, "latest", cancellationToken);
        if (code.Length == 0)
        {
            throw new InvalidOperationException($"network '{Network}': there is no contract at token address {_token} (eth_getCode is empty); check Networks:…:Token");
        }

        var id = await _store.RegisterNetworkAsync(new NetworkRegistration(Network, NetworkKind.Evm, _settings.ChainId, _token), cancellationToken);
        _networkId = id;
        return id;
    }

    private async Task<long> GetFinalTargetAsync(long head, CancellationToken cancellationToken)
    {
        if (_settings.Confirmations is { } confirmations)
        {
            return Math.Max(-1, head - confirmations);
        }

        EvmBlock? finalized;
        try
        {
            finalized = await _rpc.eth_getBlockByNumber("finalized", cancellationToken);
        }
        catch (JsonRpcErrorException ex)
        {
            throw new InvalidOperationException(
                $"network '{Network}': the node does not answer the 'finalized' block tag ({ex.RpcMessage}); set Networks:…:Confirmations", ex);
        }

        return Math.Min(finalized?.Number ?? -1, head);
    }

    private async Task<LedgerProofStatus> ProveLedgerAsync(long networkId, long finalBlock, CancellationToken cancellationToken)
    {
        if (finalBlock < 0)
        {
            return LedgerProofStatus.Stale;
        }

        Core.Amounts.TokenAmount onchain;
        try
        {
            onchain = await _rpc.TotalSupplyAsync(_token, finalBlock, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or RpcUnavailableException)
        {
            // Pruned state or an unreachable node: the ledger is not proven, and says so.
            _logger.LogWarning("network {Network}: totalSupply() at block {Block} could not be read: {Reason}", Network, finalBlock, ex.Message);
            return LedgerProofStatus.Stale;
        }

        var supply = (await _store.GetSupplyAsync(cancellationToken)).Single(s => s.NetworkId == networkId);
        var reading = new LedgerProofReading(networkId, finalBlock, onchain, supply.IndexedSupply, _time.GetUtcNow());
        await _store.RecordLedgerProofAsync(reading, cancellationToken);
        var status = reading.Compare();
        if (status == LedgerProofStatus.Mismatch)
        {
            _logger.LogError(
                "network {Network}: ledger mismatch at block {Block}: indexed {Indexed} but totalSupply() is {Onchain} (difference {Difference})",
                Network, finalBlock, reading.IndexedSupply, onchain, onchain.Value - reading.IndexedSupply);
        }

        return status;
    }
}
