using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Decoding;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

public sealed partial class SolanaIndexer
{
    /// <summary>
    /// The governance proof for Solana (invariant 11): getAccountInfo jsonParsed of the mint at finalized, with
    /// minContextSlot = the final slot X, answers for context.slot S; the authorities it shows (mint, freeze and every
    /// extension authority) are compared with the state folded from final changes at slot ≤ S only when S = X — as the
    /// ledger proof does: S above X catches up to S first, S below X (a lagging endpoint, or -32016) reads again. After
    /// <see cref="ProofAttempts"/> readings without a match the proof is Stale, never a comparison across two slots.
    /// The frozen set is proven at the same slot: every token account a final freezeAccount/thawAccount named is read
    /// with getMultipleAccounts jsonParsed (at most <see cref="SolanaRpcClient.MaxMultipleAccounts"/> a call) and its
    /// <c>state</c> compared with the fold's; a batch answering for another slot reads everything again, like the mint.
    /// Outcomes: Ok (every authority and frozen account equal), Mismatch (an authority changed, or an account frozen or
    /// thawed, without an instruction the index saw),
    /// Stale (no reading at X, the mint not yet at finalized, or an extension the node could not decode — an authority
    /// could hide in it, so an otherwise equal reading is not vouched for).
    /// </summary>
    private async Task<PassProgress> ProveGovernanceAsync(long networkId, CancellationToken cancellationToken)
    {
        var progress = PassProgress.None;
        if (_governance is null)
        {
            return progress;
        }

        string? reason = null;
        for (var attempt = 1; attempt <= ProofAttempts; attempt++)
        {
            var finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);
            long slot;
            System.Text.Json.JsonElement? value;
            try
            {
                (slot, value) = await _rpc.getAccountInfo(_settings.Mint, SolanaCommitment.Finalized, cancellationToken, minContextSlot: Math.Max(finalSlot, 0));
            }
            catch (JsonRpcErrorException ex) when (ex.Code == MinContextSlotNotReached)
            {
                reason = $"the node's finalized view is below the final slot {finalSlot}";
                continue;
            }

            if (slot > finalSlot)
            {
                progress += await CatchUpAsync(networkId, slot, cancellationToken);
                finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);
            }

            if (slot != finalSlot)
            {
                reason = $"the mint was read at slot {slot} but the index is final at {finalSlot}";
                _logger.LogInformation("network {Network}: governance reading at slot {Slot}, index final at {Final}; reading again ({Attempt}/{Attempts})",
                    Network, slot, finalSlot, attempt, ProofAttempts);
                continue;
            }

            var changes = await _governance.GetGovernanceChangesAsync(Network, cancellationToken);
            var folded = GovernanceFold.FoldThrough(Network, changes, slot);
            if (value is not { } account)
            {
                await RecordGovernanceAsync(slot, GovernanceProofStatus.Stale, [], folded, $"mint {_settings.Mint} does not exist at the finalized slot {slot}", cancellationToken);
                return progress;
            }

            SplMintAuthorities read;
            try
            {
                read = SplMintAccountDecoder.Decode(slot, account, _settings.Mint);
            }
            catch (FormatException ex)
            {
                _logger.LogError("network {Network}: governance proof stale: {Reason}", Network, ex.Message);
                await RecordGovernanceAsync(slot, GovernanceProofStatus.Stale, [], folded, ex.Message, cancellationToken);
                return progress;
            }

            IReadOnlyDictionary<string, bool> frozen;
            try
            {
                var (frozenRead, retry) = await ReadFrozenAsync(TokenAccountsOf(changes, slot), slot, cancellationToken);
                if (frozenRead is null)
                {
                    reason = retry;
                    continue;
                }

                frozen = frozenRead;
            }
            catch (FormatException ex)
            {
                _logger.LogError("network {Network}: governance proof stale: {Reason}", Network, ex.Message);
                await RecordGovernanceAsync(slot, GovernanceProofStatus.Stale, [], folded, ex.Message, cancellationToken);
                return progress;
            }

            var differences = GovernanceProof.Compare(folded, new GovernanceChainView(slot) { Authorities = read.Authorities, Paused = read.Paused, Frozen = frozen });
            var status = differences.Count > 0 ? GovernanceProofStatus.Mismatch : read.UnreadExtensions.Count > 0 ? GovernanceProofStatus.Stale : GovernanceProofStatus.Ok;
            var why = read.UnreadExtensions.Count > 0 ? $"the node did not decode the mint's extension(s) {string.Join(", ", read.UnreadExtensions)}" : null;
            if (status == GovernanceProofStatus.Mismatch)
            {
                _logger.LogError("network {Network}: governance mismatch at slot {Slot}: {Differences}",
                    Network, slot, string.Join("; ", differences.Select(d => $"{d.Subject}: indexed {d.Folded}, chain {d.Chain}")));
            }

            await RecordGovernanceAsync(slot, status, differences, folded, why, cancellationToken);
            return progress;
        }

        _logger.LogWarning("network {Network}: governance proof stale after {Attempts} readings: {Reason}", Network, ProofAttempts, reason);
        var last = await _store.GetFinalBlockAsync(networkId, cancellationToken);
        var state = GovernanceFold.FoldThrough(Network, await _governance.GetGovernanceChangesAsync(Network, cancellationToken), last);
        await RecordGovernanceAsync(last, GovernanceProofStatus.Stale, [], state, reason, cancellationToken);
        return progress;
    }

    /// <summary>Every token account a freeze or thaw at or below <paramref name="slot"/> named, in ordinal order: the accounts the fold has an opinion on.</summary>
    private static List<string> TokenAccountsOf(IReadOnlyList<GovernanceChange> changes, long slot) =>
        changes.Where(c => c.BlockNumber <= slot && c.Kind is GovernanceChangeKind.AccountFrozen or GovernanceChangeKind.AccountThawed)
            .Select(c => c.Subject).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The chain's frozen flag of each account at exactly <paramref name="slot"/>, or null and why when a batch could
    /// not be read at that slot (the node's finalized view is below it, or moved past it between the calls).
    /// </summary>
    /// <exception cref="FormatException">An account is not a jsonParsed token account.</exception>
    private async Task<(IReadOnlyDictionary<string, bool>? Frozen, string? Retry)> ReadFrozenAsync(IReadOnlyList<string> accounts, long slot, CancellationToken cancellationToken)
    {
        var frozen = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var batch in accounts.Chunk(SolanaRpcClient.MaxMultipleAccounts))
        {
            long readAt;
            IReadOnlyList<System.Text.Json.JsonElement?> values;
            try
            {
                (readAt, values) = await _rpc.getMultipleAccounts(batch, SolanaCommitment.Finalized, cancellationToken, minContextSlot: slot);
            }
            catch (JsonRpcErrorException ex) when (ex.Code == MinContextSlotNotReached)
            {
                return (null, $"the node's finalized view is below slot {slot} for the frozen accounts");
            }

            if (readAt != slot)
            {
                return (null, $"the frozen accounts were read at slot {readAt} but the mint at {slot}");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                frozen[batch[i]] = SplTokenAccountDecoder.IsFrozen(values[i], batch[i], _settings.Mint);
            }
        }

        return (frozen, null);
    }

    private Task RecordGovernanceAsync(
        long slot, GovernanceProofStatus status, IReadOnlyList<GovernanceProofDifference> differences, GovernanceState folded, string? reason, CancellationToken cancellationToken) =>
        _governance!.RecordGovernanceProofAsync(
            new GovernanceProofReading(Network, slot, status, differences, folded.ComputeHash(), _time.GetUtcNow(), reason), cancellationToken);

    /// <summary>Governance changes not yet final at or below <paramref name="upToSlot"/>: settled (and skipped when re-listed) like provisional supply events.</summary>
    private async Task<IReadOnlyList<GovernanceChange>> GetUnfinalGovernanceChangesAsync(long upToSlot, CancellationToken cancellationToken) =>
        _governance is null
            ? []
            : (await _governance.GetGovernanceChangesAsync(Network, cancellationToken)).Where(c => !c.IsFinal && c.BlockNumber <= upToSlot).ToList();
}
