using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// Where indexed supply lives. Every write is one transaction: a batch with its cursor, a rollback with its reorg
/// record, a finalization with its running totals. Implementations hold all SQL; callers hold none.
/// </summary>
public interface ISupplyStore
{
    /// <summary>Registers the network, or returns its id; throws <see cref="NetworkIdentityMismatchException"/> if the stored identity differs.</summary>
    Task<long> RegisterNetworkAsync(NetworkRegistration registration, CancellationToken cancellationToken);

    /// <summary>The indexed tip, or null before the first batch.</summary>
    Task<ChainTip?> GetTipAsync(long networkId, CancellationToken cancellationToken);

    /// <summary>Highest final block/slot, or −1 before the first finalization.</summary>
    Task<long> GetFinalBlockAsync(long networkId, CancellationToken cancellationToken);

    /// <summary>Stored header at <paramref name="number"/>, if kept (unfinalized blocks and the tip are kept).</summary>
    Task<BlockHeader?> GetBlockAsync(long networkId, long number, CancellationToken cancellationToken);

    /// <summary>
    /// The newest stored header at or below <paramref name="number"/>: with the final block, the anchor kept below the
    /// unfinal headers — history every trusted endpoint must agree with.
    /// </summary>
    Task<BlockHeader?> GetNewestBlockAtOrBelowAsync(long networkId, long number, CancellationToken cancellationToken);

    /// <summary>Stores events, headers and the new tip atomically. Fails whole on a duplicate event key.</summary>
    Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken);

    /// <summary>Removes what the fork abandoned, moves the tip back to the common ancestor and records the reorg, atomically. Returns the number of events removed.</summary>
    Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken);

    /// <summary>Marks every event at or below <paramref name="finalBlock"/> final and folds it into the running totals. Never moves finality backwards.</summary>
    Task FinalizeAsync(long networkId, long finalBlock, DateTimeOffset finalizedAt, CancellationToken cancellationToken);

    /// <summary>Provisional (not yet final) events at or below <paramref name="upToBlock"/>, oldest first.</summary>
    Task<IReadOnlyList<SupplyEvent>> GetProvisionalEventsAsync(long networkId, long upToBlock, CancellationToken cancellationToken);

    /// <summary>Stores a ledger proof reading.</summary>
    Task RecordLedgerProofAsync(LedgerProofReading reading, CancellationToken cancellationToken);

    /// <summary>Notes that the network was checked and its tip is current even though nothing new was committed.</summary>
    Task TouchAsync(long networkId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Supply of every registered network, from running totals (no event rescan).</summary>
    Task<IReadOnlyList<NetworkSupply>> GetSupplyAsync(CancellationToken cancellationToken);

    /// <summary>Σ mints − Σ burns of final events up to and including <paramref name="block"/>.</summary>
    Task<System.Numerics.BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken);
}
