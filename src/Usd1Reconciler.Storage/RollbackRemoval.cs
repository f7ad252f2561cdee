using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The provider-neutral half of a rollback's removals (supply events, governance changes) in both supply stores: which
/// rows a rollback removes and the guard that refuses to remove a final one. A rollback takes away the rows of the
/// dropped signatures when it names any (Solana: a slot's transactions can be dropped without a fork) and else every
/// row above the common ancestor (EVM). The guard throws before anything is deleted, undoing the whole rollback
/// transaction: the indexer refuses such reorgs before they get here, this keeps each store honest on its own — final
/// history is never rewritten.
/// </summary>
/// <remarks>
/// By signature, both providers select the rows at one of the named slots (<see cref="Slots"/>) with one of the named
/// signatures (<see cref="TransactionIds"/>): a seek through the block-led event key per slot, where a lookup by
/// signature alone would read every event of the network (the key has no signature-led index, see SQLite migration
/// 0010). The guard counts the final rows of that selection and the delete takes the rest of it, so the guard answers
/// exactly for the rows that would go. What the store trusts, and why that is enough:
/// <list type="bullet">
/// <item>A final row outside the named slots is never deleted: the delete is restricted to the named slots (and to
/// provisional rows besides), so a wrong slot from the indexer can at worst remove too little, never final history.
/// Such a row cannot exist for a dropped signature anyway: a signature lands in one slot, its rows are written at that
/// slot, and a signature that lands again elsewhere is written only after the rollback removed its old rows.</item>
/// <item>A signature claimed at a slot where its rows are final (finality moved past the slot since the indexer read
/// it) is refused: that is the case the guard is for, and it sits inside the selection.</item>
/// <item>Slots and signatures are matched as two lists, not as pairs: a row of a named signature at another named
/// slot is selected too. Such a row is still a dropped signature's (before slots were carried, the delete took those
/// at every slot), and the guard then refuses on more rows, never on fewer.</item>
/// <item>Provisional rows of a named signature at a slot not named stay; the indexer takes each signature's slot from
/// the stored rows, so the next settle pass finds them at their own slot.</item>
/// </list>
/// Governance changes are keyed by signature (network, tx, position, sub_position), so their guard seeks a signature
/// directly and looks at every slot; their delete keeps to the named slots like the events'.
/// </remarks>
internal static class RollbackRemoval
{
    /// <summary>The distinct slots of the rollback's removed transactions, ascending (empty for a rollback by block).</summary>
    public static long[] Slots(ChainReorganization reorganization)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        return reorganization.RemovedTransactions.Select(t => t.BlockNumber).Distinct().Order().ToArray();
    }

    /// <summary>The distinct ids of the rollback's removed transactions, in ordinal order (empty for a rollback by block).</summary>
    public static string[] TransactionIds(ChainReorganization reorganization)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        return reorganization.RemovedTransactions.Select(t => t.TransactionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Counts the final rows the rollback would remove (<paramref name="countFinal"/>, given whether it removes by
    /// signature), refuses when there is any, and else removes its rows (<paramref name="remove"/>, likewise) and
    /// returns how many went.
    /// </summary>
    /// <param name="rows">What the rows are, plural, for the refusal ("final events").</param>
    /// <exception cref="InvalidOperationException">The rollback would remove a final row.</exception>
    public static async Task<int> RemoveAsync(ChainReorganization reorganization, string rows, Func<bool, Task<long>> countFinal, Func<bool, Task<int>> remove)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        ArgumentNullException.ThrowIfNull(countFinal);
        ArgumentNullException.ThrowIfNull(remove);
        var bySignature = reorganization.RemovedTransactions.Count > 0;
        var finalTouched = await countFinal(bySignature);
        if (finalTouched > 0)
        {
            throw new InvalidOperationException(
                $"rollback on network {reorganization.NetworkId} would remove {finalTouched} {rows}; final history is never rewritten");
        }

        return await remove(bySignature);
    }
}
