using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>
/// A store whose first <see cref="CommitBatchAsync"/> waits until the test releases it (a slow commit held still), and
/// otherwise the real store underneath: what the indexer does while a commit is in progress can then be watched.
/// </summary>
internal sealed class CommitGatedStore(ISupplyStore inner) : ISupplyStore
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _commits;

    /// <summary>Completes when the first commit has started and is being held.</summary>
    public TaskCompletionSource FirstCommitHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    public async Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _commits) == 1)
        {
            FirstCommitHeld.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        await inner.CommitBatchAsync(batch, cancellationToken);
    }

    public Task<long> RegisterNetworkAsync(NetworkRegistration registration, CancellationToken cancellationToken) => inner.RegisterNetworkAsync(registration, cancellationToken);

    public Task<ChainTip?> GetTipAsync(long networkId, CancellationToken cancellationToken) => inner.GetTipAsync(networkId, cancellationToken);

    public Task<long> GetFinalBlockAsync(long networkId, CancellationToken cancellationToken) => inner.GetFinalBlockAsync(networkId, cancellationToken);

    public Task<BlockHeader?> GetBlockAsync(long networkId, long number, CancellationToken cancellationToken) => inner.GetBlockAsync(networkId, number, cancellationToken);

    public Task<BlockHeader?> GetNewestBlockAtOrBelowAsync(long networkId, long number, CancellationToken cancellationToken) => inner.GetNewestBlockAtOrBelowAsync(networkId, number, cancellationToken);

    public Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken) => inner.RollBackAsync(reorganization, cancellationToken);

    public Task FinalizeAsync(long networkId, long finalBlock, DateTimeOffset finalizedAt, CancellationToken cancellationToken) => inner.FinalizeAsync(networkId, finalBlock, finalizedAt, cancellationToken);

    public Task<IReadOnlyList<SupplyEvent>> GetProvisionalEventsAsync(long networkId, long upToBlock, CancellationToken cancellationToken) => inner.GetProvisionalEventsAsync(networkId, upToBlock, cancellationToken);

    public Task RecordLedgerProofAsync(LedgerProofReading reading, CancellationToken cancellationToken) => inner.RecordLedgerProofAsync(reading, cancellationToken);

    public Task TouchAsync(long networkId, DateTimeOffset at, CancellationToken cancellationToken) => inner.TouchAsync(networkId, at, cancellationToken);

    public Task<IReadOnlyList<NetworkSupply>> GetSupplyAsync(CancellationToken cancellationToken) => inner.GetSupplyAsync(cancellationToken);

    public Task<System.Numerics.BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken) => inner.GetFinalSupplyAtAsync(networkId, block, cancellationToken);
}
