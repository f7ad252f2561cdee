using System.Text.Json;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Decoding;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

public sealed partial class SolanaIndexer
{
    /// <summary>-32016: the node's view is older than the minContextSlot asked for.</summary>
    private const long MinContextSlotNotReached = -32016;

    /// <summary>
    /// Pages the mint's signatures newest-first, then indexes them oldest-first in batches, each committed with the
    /// tip it reaches so that a crash between batches neither loses nor doubles an event.
    /// <para>
    /// Paging stops at the stored tip (<c>until</c>) or, whichever comes first, at the floor: nothing at or below the
    /// final slot is looked at again (it is complete by invariant), nor anything more than ForkMarginSlots below the
    /// tip. The floor is what stops a vanished tip signature (dropped fork) from paging all history back; the
    /// already-stored signatures it re-reads are skipped.
    /// </para>
    /// </summary>
    /// <param name="rescanUnfinalized">After a dropped fork: ignore the tip and page every unfinalized slot again.</param>
    private async Task<PassProgress> IndexNewSignaturesAsync(long networkId, long finalizedSlot, bool rescanUnfinalized, CancellationToken cancellationToken)
    {
        var tip = await _store.GetTipAsync(networkId, cancellationToken);
        var finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);
        var floor = finalSlot + 1;
        if (tip is not null && !rescanUnfinalized)
        {
            floor = Math.Max(floor, tip.Number - _settings.ForkMarginSlots);
        }

        var until = rescanUnfinalized || tip is null || tip.Id.Length == 0 ? null : tip.Id;
        using var listed = new SignatureSpool(_settings.SignaturePagesInMemory, _settings.SpoolDirectory);
        try
        {
            await PageSignaturesAsync(until, floor, finalizedSlot, listed, cancellationToken);
        }
        catch (JsonRpcErrorException ex) when (ex.Code == MinContextSlotNotReached)
        {
            // The answering node has not yet seen slot F at confirmed: its history could lack finalized signatures.
            _logger.LogWarning("network {Network}: node behind finalized slot {Slot} ({Reason}); finality not advanced this pass", Network, finalizedSlot, ex.Message);
            return PassProgress.None with { Complete = false };
        }

        // Slots, not blocks: the cursor is the committed tip (or the final slot below it), the target the newest
        // listed signature's slot, or the finalized slot when that is higher.
        var cursor = Math.Max(tip?.Number ?? -1, finalSlot);
        _progress.PassStarted(Network, cursor, Math.Max(Math.Max(finalizedSlot, listed.NewestSlot), cursor));
        // Signatures already indexed and not yet final: a re-listed one is skipped, or its keys would be stored twice.
        var stored = (await _store.GetProvisionalEventsAsync(networkId, long.MaxValue, cancellationToken))
            .Select(e => e.TransactionId)
            .Concat((await GetUnfinalGovernanceChangesAsync(long.MaxValue, cancellationToken)).Select(c => c.TransactionId))
            .ToHashSet(StringComparer.Ordinal);
        var progress = PassProgress.None;
        foreach (var batch in listed.OldestFirst().Chunk(_settings.TransactionBatchSize))
        {
            var (events, governance, processed) = await FetchAndDecodeAsync(batch, stored, cancellationToken);
            if (processed > 0)
            {
                var newest = batch[processed - 1];
                var newTip = tip is not null && newest.Slot < tip.Number ? tip : new ChainTip(newest.Slot, newest.Signature);
                await _store.CommitBatchAsync(
                    new IndexedBatch(networkId, events, [], newTip, _time.GetUtcNow()) { GovernanceChanges = governance }, cancellationToken);
                tip = newTip;
                progress += new PassProgress(events.Count, 1, 0, true);
                _progress.Committed(Network, Math.Max(newTip.Number, cursor), events.Count);
            }

            if (processed < batch.Length)
            {
                var missing = batch[processed];
                _logger.LogWarning(
                    "network {Network}: {Signature} (slot {Slot}) was listed but getTransaction found nothing; stopping here, retried next pass",
                    Network, missing.Signature, missing.Slot);
                return progress with { Complete = false };
            }
        }

        if (listed.Count > 0)
        {
            _logger.LogInformation("network {Network}: {Signatures} signatures read, {Events} events stored", Network, listed.Count, progress.EventsAdded);
        }

        return progress;
    }

    /// <summary>
    /// Pages newest-first down to <paramref name="until"/> or the floor into <paramref name="listed"/>. A node whose
    /// paging is broken (a page repeating signatures of the page before, or going back up in slots) is refused rather
    /// than followed around a loop; only the last two pages are remembered for that, so memory stays bounded.
    /// </summary>
    private async Task PageSignaturesAsync(string? until, long floor, long finalizedSlot, SignatureSpool listed, CancellationToken cancellationToken)
    {
        var previous = new HashSet<string>(StringComparer.Ordinal);
        var current = new HashSet<string>(StringComparer.Ordinal);
        var lowestSlot = long.MaxValue;
        string? before = null;
        while (true)
        {
            var page = await _rpc.getSignaturesForAddress(
                _settings.Mint, before, until, _settings.PageSize, _settings.Commitment, cancellationToken, minContextSlot: finalizedSlot);
            (previous, current) = (current, previous);
            current.Clear();
            var kept = new List<SolanaSignatureInfo>(page.Count);
            var reachedFloor = false;
            foreach (var info in page)
            {
                if (info.Slot < floor)
                {
                    reachedFloor = true;
                    break;
                }

                if (previous.Contains(info.Signature) || !current.Add(info.Signature))
                {
                    throw BrokenPaging($"signature {info.Signature} came back twice while paging with before={before ?? "(none)"}");
                }

                if (info.Slot > lowestSlot)
                {
                    throw BrokenPaging($"signature {info.Signature} at slot {info.Slot} came after slot {lowestSlot} while paging with before={before ?? "(none)"}; signatures must come newest first");
                }

                lowestSlot = info.Slot;
                kept.Add(info);
            }

            listed.Add(kept);
            if (reachedFloor || page.Count < _settings.PageSize)
            {
                return;
            }

            before = page[^1].Signature;
        }
    }

    private RpcProtocolException BrokenPaging(string detail) =>
        new("getSignaturesForAddress", _rpc.Transport.PreferredEndpoint.Label, detail + "; the node's paging is broken");

    /// <summary>
    /// Fetches and decodes the batch in order. Returns the supply events, the governance changes and how many
    /// signatures (a prefix of the batch) were handled; it stops before the first signature whose transaction the node
    /// does not have, so nothing after a gap is committed past it.
    /// </summary>
    private async Task<(List<SupplyEvent> Events, List<GovernanceChange> Governance, int Processed)> FetchAndDecodeAsync(
        SolanaSignatureInfo[] batch, HashSet<string> stored, CancellationToken cancellationToken)
    {
        // Failed transactions changed no supply; already-stored ones were indexed by an earlier pass.
        var wanted = batch.Where(s => !s.Failed && !stored.Contains(s.Signature)).Select(s => s.Signature).ToList();
        var transactions = wanted.Count == 0 ? [] : await _rpc.GetTransactionsAsync(wanted, _settings.Commitment, cancellationToken);
        var bySignature = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        for (var i = 0; i < wanted.Count; i++)
        {
            bySignature[wanted[i]] = transactions[i];
        }

        var events = new List<SupplyEvent>();
        var governance = new List<GovernanceChange>();
        for (var i = 0; i < batch.Length; i++)
        {
            if (!bySignature.TryGetValue(batch[i].Signature, out var transaction))
            {
                continue;
            }

            if (transaction is not { } reply)
            {
                return (events, governance, i);
            }

            events.AddRange(SplSupplyDecoder.Decode(reply, _settings.Mint));
            if (_governance is not null)
            {
                governance.AddRange(SplGovernanceDecoder.Decode(reply, _settings.Mint).Select(c => SolanaGovernanceChanges.ToRecord(Network, c)));
            }

            stored.Add(batch[i].Signature);
        }

        return (events, governance, batch.Length);
    }
}
