using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

public sealed partial class SolanaIndexer
{
    /// <summary>Readings of getTokenSupply tried before the proof is reported Stale.</summary>
    private const int ProofAttempts = 3;

    /// <summary>-32602, which agave also answers for getTokenSupply of an account that does not exist at that commitment.</summary>
    private const long InvalidParams = -32602;

    /// <summary>
    /// Invariant 3 for Solana: getTokenSupply at finalized answers for context.slot S; it is compared with Σ final events
    /// at slot ≤ S only when the final slot is exactly S (so the index is complete up to S, and the reading matches the
    /// final slot the rest of the system sees). S above the final slot: catch up to S and try again; S below it (a
    /// lagging endpoint): read again. After <see cref="ProofAttempts"/> readings without a match, the proof is Stale —
    /// an honest "not vouched for", never a comparison of figures from two different slots.
    /// </summary>
    private async Task<(LedgerProofStatus Status, PassProgress Progress)> ProveLedgerAsync(long networkId, CancellationToken cancellationToken)
    {
        var progress = PassProgress.None;
        for (var attempt = 1; attempt <= ProofAttempts; attempt++)
        {
            SolanaTokenSupply supply;
            try
            {
                supply = await _rpc.getTokenSupply(_settings.Mint, SolanaCommitment.Finalized, cancellationToken);
            }
            catch (JsonRpcErrorException ex) when (ex.Code == InvalidParams && ex.RpcMessage.Contains("could not find account", StringComparison.OrdinalIgnoreCase))
            {
                // The mint was created after the finalized slot. The error names no slot, so there is nothing exact to
                // compare with: Stale until the mint's creation is finalized (~13 s on a cluster).
                _logger.LogInformation("network {Network}: mint {Mint} does not exist at the finalized slot yet; proof stale", Network, _settings.Mint);
                return (LedgerProofStatus.Stale, progress);
            }

            var finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);
            if (supply.Slot > finalSlot)
            {
                progress += await CatchUpAsync(networkId, supply.Slot, cancellationToken);
                finalSlot = await _store.GetFinalBlockAsync(networkId, cancellationToken);
            }

            if (supply.Slot != finalSlot)
            {
                _logger.LogInformation(
                    "network {Network}: supply read at slot {Slot} but the index is final at {Final}; reading again ({Attempt}/{Attempts})",
                    Network, supply.Slot, finalSlot, attempt, ProofAttempts);
                continue;
            }

            var indexed = await _store.GetFinalSupplyAtAsync(networkId, supply.Slot, cancellationToken);
            var reading = new LedgerProofReading(networkId, supply.Slot, supply.Amount, indexed, _time.GetUtcNow());
            await _store.RecordLedgerProofAsync(reading, cancellationToken);
            var status = reading.Compare();
            if (status != LedgerProofStatus.Ok)
            {
                _logger.LogError(
                    "network {Network}: ledger mismatch at slot {Slot}: on-chain supply {Onchain}, indexed {Indexed}",
                    Network, supply.Slot, supply.Amount, indexed);
            }

            return (status, progress);
        }

        _logger.LogWarning("network {Network}: no supply reading matched the final slot after {Attempts} tries; proof stale", Network, ProofAttempts);
        return (LedgerProofStatus.Stale, progress);
    }
}
