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
    DateTimeOffset IndexedAt);
