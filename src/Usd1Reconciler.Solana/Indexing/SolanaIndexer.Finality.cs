using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

public sealed partial class SolanaIndexer
{
    /// <summary>
    /// Settles provisional events at slot ≤ F by their signature status. Cases, per signature:
    /// finalized at the stored slot → may become final;
    /// unknown to a node that has seen slot F, landed at another slot, or failed where it had succeeded → its fork was
    /// dropped: removed in one rollback (counted as a reorg) and re-indexed from the winning fork;
    /// anything else (still confirmed, or a node lagging behind F) → holds finality below its slot.
    /// The signatures are those of provisional supply events and of unfinal governance changes alike.
    /// Finality then advances to the highest slot ≤ F below every held signature, but only when nothing was removed:
    /// after a rollback the winning fork must be indexed first, or the final slot would claim history not yet read.
    /// </summary>
    private async Task<SettleOutcome> SettleAsync(long networkId, long finalizedSlot, CancellationToken cancellationToken)
    {
        var provisional = await _store.GetProvisionalEventsAsync(networkId, finalizedSlot, cancellationToken);
        var slotBySignature = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in provisional)
        {
            slotBySignature.TryAdd(e.TransactionId, e.BlockNumber);
        }

        // A governance-only transaction (a setAuthority, a freeze) is settled like one with supply events: it holds
        // finality until finalized, and a dropped one is rolled back with the rest.
        foreach (var c in await GetUnfinalGovernanceChangesAsync(finalizedSlot, cancellationToken))
        {
            slotBySignature.TryAdd(c.TransactionId, c.BlockNumber);
        }

        var dropped = new List<(string Signature, long Slot)>();
        var frontier = finalizedSlot;
        foreach (var chunk in slotBySignature.Keys.Chunk(SolanaRpcClient.MaxSignatureStatuses))
        {
            var answer = await _rpc.getSignatureStatuses(chunk, searchTransactionHistory: true, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                var signature = chunk[i];
                var slot = slotBySignature[signature];
                var status = answer.Statuses[i];
                if (status is null ? answer.ContextSlot >= finalizedSlot : status.Slot != slot || status.Failed)
                {
                    dropped.Add((signature, slot));
                }
                else if (status is null || !status.IsFinalized)
                {
                    frontier = Math.Min(frontier, slot - 1);
                }
            }
        }

        if (dropped.Count > 0)
        {
            await RollBackDroppedAsync(networkId, dropped, cancellationToken);
            return new SettleOutcome(1);
        }

        if (frontier > await _store.GetFinalBlockAsync(networkId, cancellationToken))
        {
            await _store.FinalizeAsync(networkId, frontier, _time.GetUtcNow(), cancellationToken);
        }

        return new SettleOutcome(0);
    }

    /// <summary>
    /// Removes the dropped signatures' events and records one reorg. The tip stays where it is unless its signature was
    /// dropped; then it moves back to the newest kept provisional event, or to the final slot with no signature (the
    /// next pass then pages down to the final slot instead of asking for a vanished <c>until</c>).
    /// </summary>
    private async Task RollBackDroppedAsync(long networkId, List<(string Signature, long Slot)> dropped, CancellationToken cancellationToken)
    {
        var removed = dropped.Select(d => d.Signature).ToHashSet(StringComparer.Ordinal);
        var tip = await _store.GetTipAsync(networkId, cancellationToken) ?? new ChainTip(-1, string.Empty);
        var newTip = tip;
        if (removed.Contains(tip.Id))
        {
            var kept = (await _store.GetProvisionalEventsAsync(networkId, long.MaxValue, cancellationToken))
                .Where(e => !removed.Contains(e.TransactionId))
                .OrderBy(e => e.BlockNumber)
                .LastOrDefault();
            newTip = kept is not null
                ? new ChainTip(kept.BlockNumber, kept.TransactionId)
                : new ChainTip(await _store.GetFinalBlockAsync(networkId, cancellationToken), string.Empty);
        }

        // Each signature goes with the slot its stored rows are at (read from them above), so the store finds them
        // through its block-led key instead of reading the network's events for the signature.
        var depth = dropped.Select(d => d.Slot).Distinct().Count();
        var removedTransactions = dropped
            .OrderBy(d => d.Signature, StringComparer.Ordinal)
            .Select(d => new RemovedTransaction(d.Slot, d.Signature))
            .ToList();
        var reorganization = new ChainReorganization(
            networkId, newTip.Number, newTip.Id, depth, tip.Id, string.Empty, _time.GetUtcNow(), removedTransactions);
        var events = await _store.RollBackAsync(reorganization, cancellationToken);
        _logger.LogWarning(
            "network {Network}: dropped fork: {Signatures} signatures in {Slots} slots never finalized ({Events} events removed); tip back to slot {Tip}",
            Network, removed.Count, depth, events, newTip.Number);
    }

    private sealed record SettleOutcome(int Reorgs);
}
