namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// Where privileged changes are read back and governance proofs kept. Changes are written by the supply store's own
/// batch commit (<see cref="Ingest.IndexedBatch.GovernanceChanges"/>) and removed by its rollback, in the same
/// transactions as the cursor and the supply events — so they share exactly-once and reorg safety with supply.
/// </summary>
public interface IGovernanceStore
{
    /// <summary>Every stored change of the network (final and unfinal, <see cref="GovernanceChange.IsFinal"/> set), in chain order.</summary>
    Task<IReadOnlyList<GovernanceChange>> GetGovernanceChangesAsync(string network, CancellationToken cancellationToken);

    /// <summary>The change log of every network: changes whose block time is at or after <paramref name="since"/> (untimed changes are kept only without a <paramref name="since"/>), in network then chain order.</summary>
    Task<IReadOnlyList<GovernanceChange>> GetGovernanceLogAsync(DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Stores the network's latest governance proof (one kept per network).</summary>
    Task RecordGovernanceProofAsync(GovernanceProofReading reading, CancellationToken cancellationToken);

    /// <summary>The network's latest governance proof, or null before the first.</summary>
    Task<GovernanceProofReading?> GetGovernanceProofAsync(string network, CancellationToken cancellationToken);
}
