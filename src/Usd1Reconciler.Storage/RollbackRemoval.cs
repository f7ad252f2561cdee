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
internal static class RollbackRemoval
{
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
