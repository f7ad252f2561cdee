namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// Follows one network. A pass verifies the stored tip is still on the chain (rolling back a fork if not), indexes
/// up to the current head, promotes what became final, and proves the final ledger against the on-chain supply.
/// Passes are idempotent: running one again right after changes nothing.
/// </summary>
public interface INetworkIndexer
{
    string Network { get; }

    Task<IndexPassResult> RunPassAsync(CancellationToken cancellationToken);
}
