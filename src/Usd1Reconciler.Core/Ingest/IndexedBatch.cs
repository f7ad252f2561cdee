using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// A contiguous stretch of chain indexed in one go: its supply events, the headers of its blocks that are not yet
/// final, and the tip it advances the cursor to. A store commits all of it in one transaction or none of it, so the
/// cursor never runs ahead of (or behind) the events it covers.
/// </summary>
public sealed record IndexedBatch(
    long NetworkId,
    IReadOnlyList<SupplyEvent> Events,
    IReadOnlyList<BlockHeader> UnfinalizedBlocks,
    ChainTip NewTip,
    DateTimeOffset IndexedAt)
{
    /// <summary>
    /// Set when the whole batch lies at or below the chain's final block (a backfill): the store then finalizes through
    /// this block in the same transaction — the batch's events go in final and into the running totals, as
    /// <see cref="ISupplyStore.FinalizeAsync"/> would have done after the commit, without a second pass over them.
    /// </summary>
    public long? FinalThrough { get; init; }

    /// <summary>
    /// The privileged changes of the same stretch of chain (issue 15), committed in the same transaction as the supply
    /// events and the cursor, and removed with them by a rollback: governance is indexed exactly once and reorg-safe by
    /// the same machinery.
    /// </summary>
    public IReadOnlyList<GovernanceChange> GovernanceChanges { get; init; } = [];
}
