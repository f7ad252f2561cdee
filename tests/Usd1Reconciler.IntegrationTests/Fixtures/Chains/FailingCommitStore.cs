using System.Numerics;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>A store that fails its Nth batch commit, as a crash between fetching a batch and committing it would.</summary>
internal sealed class FailingCommitStore(ISupplyStore inner, int failOnCommit) : ISupplyStore
{
    private int _commits;

    public Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _commits) == failOnCommit
            ? throw new InjectedFaultException($"injected failure at commit {failOnCommit}")
            : inner.CommitBatchAsync(batch, cancellationToken);

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

    public Task<BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken) => inner.GetFinalSupplyAtAsync(networkId, block, cancellationToken);
}

internal sealed class InjectedFaultException(string message) : Exception(message);
