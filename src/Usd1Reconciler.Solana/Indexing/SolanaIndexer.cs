using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

/// <summary>
/// Follows one SPL mint. A pass: read the finalized slot F; index every new signature of the mint at the configured
/// commitment (newest-first paging, then oldest-first batches, each committed with its tip); settle provisional events
/// at slot ≤ F (finalized → final, vanished → rolled back as a dropped fork); then prove the final ledger against
/// getTokenSupply at finalized, and the governance state against the mint's authorities (getAccountInfo jsonParsed).
/// <para>
/// Privileged actions (setAuthority, freeze/thaw, …; <see cref="Decoding.SplGovernanceDecoder"/>) come from the same
/// transactions, ride the same batches (<see cref="IndexedBatch.GovernanceChanges"/>) and are settled and rolled back
/// with the same signatures, so their finality is exactly the supply events'.
/// </para>
/// <para>
/// Invariant: the store's final slot X means "every signature of the mint on the finalized chain at slot ≤ X is
/// indexed, and its events are final". It holds because F is read before the signatures are paged at confirmed (whose
/// view contains the finalized chain), and X only advances in a settle that removed nothing.
/// </para>
/// </summary>
public sealed partial class SolanaIndexer : INetworkIndexer, IEndpointHealthSource
{
    private readonly SolanaNetworkSettings _settings;
    private readonly SolanaRpcClient _rpc;
    private readonly ISupplyStore _store;
    private readonly IGovernanceStore? _governance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IIndexProgress _progress;
    private long? _networkId;
    private string? _genesisHash;

    internal SolanaIndexer(SolanaNetworkSettings settings, SolanaRpcClient rpc, ISupplyStore store, TimeProvider time, ILogger logger, IGovernanceStore? governance = null, IIndexProgress? progress = null)
    {
        _progress = progress ?? NullIndexProgress.Instance;
        _settings = settings;
        _rpc = rpc;
        _store = store;
        _governance = governance;
        _time = time;
        _logger = logger;
    }

    public string Network => _settings.Name;

    /// <summary>Builds an indexer for one network; throws <see cref="ArgumentException"/> naming the setting that is wrong.</summary>
    /// <param name="governance">
    /// Where governance changes are read back and proofs kept (the container's <see cref="IGovernanceStore"/>); null:
    /// no governance proof, supply only.
    /// </param>
    /// <param name="progress">Told of the cursor (slot) as each batch commits; null: nobody watches.</param>
    public static SolanaIndexer Create(SolanaNetworkSettings settings, ISupplyStore store, HttpClient http, TimeProvider time, ILoggerFactory loggerFactory, IGovernanceStore? governance = null, IIndexProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Validate(settings);
        var transport = new JsonRpcClient(http, settings.Name, settings.RpcUrls, settings.RequestTimeout, loggerFactory.CreateLogger<JsonRpcClient>(), settings.Resilience, time);
        return new SolanaIndexer(settings, new SolanaRpcClient(transport), store, time, loggerFactory.CreateLogger<SolanaIndexer>(), governance, progress);
    }

    public IReadOnlyList<EndpointHealth> GetEndpointHealth() => _rpc.Transport.GetEndpointHealth();

    public async Task<IndexPassResult> RunPassAsync(CancellationToken cancellationToken)
    {
        await CheckEndpointsAsync(cancellationToken);
        var networkId = await EnsureRegisteredAsync(cancellationToken);

        // Read before paging: the confirmed view paged afterwards then contains every finalized signature up to F.
        var finalizedSlot = await _rpc.getSlot(SolanaCommitment.Finalized, cancellationToken);
        var progress = await CatchUpAsync(networkId, finalizedSlot, cancellationToken);
        var (proof, more) = await ProveLedgerAsync(networkId, cancellationToken);
        progress += more;
        progress += await ProveGovernanceAsync(networkId, cancellationToken);

        if (progress.EventsAdded == 0 && progress.BatchesCommitted == 0)
        {
            await _store.TouchAsync(networkId, _time.GetUtcNow(), cancellationToken);
        }

        var tip = await _store.GetTipAsync(networkId, cancellationToken);
        var finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);

        // The index is complete up to the final slot even when the newest signature is older than it.
        var indexedTip = Math.Max(tip?.Number ?? -1, finalSlot);
        _logger.LogInformation(
            "network {Network}: pass done, tip slot {Tip}, final slot {Final}, {Events} events added, {Reorgs} dropped forks, proof {Proof}",
            Network, indexedTip, finalSlot, progress.EventsAdded, progress.Reorgs, proof);
        return new IndexPassResult(Network, indexedTip, finalSlot, progress.EventsAdded, progress.Reorgs, proof);
    }

    /// <summary>Indexes new signatures and settles what F makes final; after a dropped fork, indexes and settles once more.</summary>
    private async Task<PassProgress> CatchUpAsync(long networkId, long finalizedSlot, CancellationToken cancellationToken)
    {
        var progress = await IndexNewSignaturesAsync(networkId, finalizedSlot, rescanUnfinalized: false, cancellationToken);
        if (!progress.Complete)
        {
            return progress;
        }

        var settle = await SettleAsync(networkId, finalizedSlot, cancellationToken);
        progress = progress with { Reorgs = progress.Reorgs + settle.Reorgs };
        if (settle.Reorgs == 0)
        {
            return progress;
        }

        // The winning fork's transactions may sit below the (moved) tip: page every unfinalized slot again.
        var again = await IndexNewSignaturesAsync(networkId, finalizedSlot, rescanUnfinalized: true, cancellationToken);
        progress += again;
        if (again.Complete)
        {
            var second = await SettleAsync(networkId, finalizedSlot, cancellationToken);
            progress = progress with { Reorgs = progress.Reorgs + second.Reorgs };
        }

        return progress;
    }

    private async Task<long> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (_networkId is { } known)
        {
            return known;
        }

        var id = await _store.RegisterNetworkAsync(new NetworkRegistration(_settings.Name, NetworkKind.Solana, null, _settings.Mint), cancellationToken);
        _networkId = id;
        return id;
    }

    /// <summary>
    /// Every pass: probes each endpoint that is not resting (genesis hash and confirmed slot in one batch) and trusts only
    /// those on the expected cluster — the configured genesis hash, else the one the first answering endpoint reported
    /// on the first pass — whose slot is within <see cref="SolanaNetworkSettings.MaxSlotLag"/> of the best. A devnet URL
    /// among mainnet ones would mix two ledgers; a syncing node would make settled signatures look dropped.
    /// </summary>
    private async Task CheckEndpointsAsync(CancellationToken cancellationToken)
    {
        var transport = _rpc.Transport;
        var probes = await Task.WhenAll(transport.Endpoints.Where(e => !transport.IsResting(e)).Select(async endpoint =>
        {
            try
            {
                var (genesis, slot) = await _rpc.ProbeAsync(endpoint, cancellationToken);
                return (Endpoint: endpoint, Genesis: genesis, Slot: slot, Failure: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (Endpoint: endpoint, Genesis: string.Empty, Slot: 0L, Failure: ex);
            }
        }));

        var failures = probes.Where(p => p.Failure is not null).Select(p => p.Failure!).ToList();
        var answered = probes.Where(p => p.Failure is null).ToList();
        _genesisHash ??= _settings.GenesisHash ?? answered.Select(p => p.Genesis).FirstOrDefault();
        var wrong = answered.Where(p => !string.Equals(p.Genesis, _genesisHash, StringComparison.Ordinal)).ToList();
        foreach (var w in wrong)
        {
            transport.MarkUntrusted(w.Endpoint, $"reports genesis hash {w.Genesis}, expected {_genesisHash}: another cluster");
        }

        var candidates = answered.Except(wrong).ToList();
        var best = candidates.Count == 0 ? 0 : candidates.Max(c => c.Slot);
        var trusted = 0;
        foreach (var c in candidates)
        {
            if (best - c.Slot > _settings.MaxSlotLag)
            {
                transport.MarkUntrusted(c.Endpoint, $"confirmed slot {c.Slot} is {best - c.Slot} slots behind the best endpoint's {best} (limit {_settings.MaxSlotLag})");
            }
            else
            {
                transport.MarkTrusted(c.Endpoint);
                trusted++;
            }
        }

        if (trusted > 0)
        {
            return;
        }

        if (wrong.Count > 0 && failures.Count == 0 && candidates.Count == 0)
        {
            throw new NetworkIdentityMismatchException(
                $"network '{Network}': endpoints disagree on the cluster: expected genesis hash {_genesisHash}, but " +
                string.Join(", ", wrong.Select(w => $"{w.Endpoint.Label} reports {w.Genesis}")));
        }

        // The transport names every endpoint that is not healthy with its last real failure and when it is asked again:
        // with every endpoint resting nothing was probed, and the message must still say why.
        throw transport.Unavailable("endpoint check (getGenesisHash, getSlot)", failures);
    }

    private static void Validate(SolanaNetworkSettings s)
    {
        static void Require(bool ok, string key, string reason)
        {
            if (!ok)
            {
                throw new ArgumentException($"Solana network setting {key}: {reason}", key);
            }
        }

        Require(!string.IsNullOrWhiteSpace(s.Name), nameof(s.Name), "is empty");
        Require(s.Mint is { Length: >= 32 and <= 44 } && Base58Text.IsValid(s.Mint), nameof(s.Mint), $"'{s.Mint}' is not a base58 address");
        Require(s.Commitment != SolanaCommitment.Processed, nameof(s.Commitment),
            "processed is refused: processed slots can still be skipped, and nodes refuse it for getTransaction and getSignaturesForAddress");
        Require(Enum.IsDefined(s.Commitment), nameof(s.Commitment), $"{s.Commitment} is not confirmed or finalized");
        Require(s.RpcUrls is { Count: > 0 }, nameof(s.RpcUrls), "needs at least one endpoint");
        Require(s.RequestTimeout > TimeSpan.Zero, nameof(s.RequestTimeout), "must be positive");
        Require(s.PageSize is >= 1 and <= SolanaRpcClient.MaxSignaturesPerPage, nameof(s.PageSize), $"must be 1-{SolanaRpcClient.MaxSignaturesPerPage}");
        Require(s.ForkMarginSlots >= 0, nameof(s.ForkMarginSlots), "must not be negative");
        Require(s.TransactionBatchSize is >= 1 and <= 1000, nameof(s.TransactionBatchSize), "must be 1-1000");
        Require(s.GenesisHash is null || Base58Text.IsValid(s.GenesisHash), nameof(s.GenesisHash), "is not base58");
    }

    private sealed record PassProgress(int EventsAdded, int BatchesCommitted, int Reorgs, bool Complete)
    {
        public static readonly PassProgress None = new(0, 0, 0, true);

        public static PassProgress operator +(PassProgress a, PassProgress b) =>
            new(a.EventsAdded + b.EventsAdded, a.BatchesCommitted + b.BatchesCommitted, a.Reorgs + b.Reorgs, a.Complete && b.Complete);
    }
}
