using System.Numerics;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Redemptions;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>The registered <see cref="IIndexStore"/> of every provider: the provider's store, its errors as <see cref="StoreException"/>s.</summary>
internal class TranslatingIndexStore(IIndexStore inner, StoreErrorTranslation translate) : IIndexStore
{
    /// <summary>The provider's store underneath (for a registration that must know which provider it holds).</summary>
    public IIndexStore Inner => inner;

    public string Location => inner.Location;

    public Task<long> RegisterNetworkAsync(NetworkRegistration registration, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "registering a network", () => inner.RegisterNetworkAsync(registration, cancellationToken));

    public Task<ChainTip?> GetTipAsync(long networkId, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the cursor", () => inner.GetTipAsync(networkId, cancellationToken));

    public Task<long> GetFinalBlockAsync(long networkId, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the final block", () => inner.GetFinalBlockAsync(networkId, cancellationToken));

    public Task<BlockHeader?> GetBlockAsync(long networkId, long number, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a block header", () => inner.GetBlockAsync(networkId, number, cancellationToken));

    public Task<BlockHeader?> GetNewestBlockAtOrBelowAsync(long networkId, long number, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading a block header", () => inner.GetNewestBlockAtOrBelowAsync(networkId, number, cancellationToken));

    public Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "committing an indexed batch", () => inner.CommitBatchAsync(batch, cancellationToken));

    public Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "rolling back a reorganisation", () => inner.RollBackAsync(reorganization, cancellationToken));

    public Task FinalizeAsync(long networkId, long finalBlock, DateTimeOffset finalizedAt, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "finalizing events", () => inner.FinalizeAsync(networkId, finalBlock, finalizedAt, cancellationToken));

    public Task<IReadOnlyList<SupplyEvent>> GetProvisionalEventsAsync(long networkId, long upToBlock, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading provisional events", () => inner.GetProvisionalEventsAsync(networkId, upToBlock, cancellationToken));

    public Task RecordLedgerProofAsync(LedgerProofReading reading, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a ledger proof", () => inner.RecordLedgerProofAsync(reading, cancellationToken));

    public Task TouchAsync(long networkId, DateTimeOffset at, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "touching the cursor", () => inner.TouchAsync(networkId, at, cancellationToken));

    public Task<IReadOnlyList<NetworkSupply>> GetSupplyAsync(CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading supply", () => inner.GetSupplyAsync(cancellationToken));

    public Task<BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "summing final supply", () => inner.GetFinalSupplyAtAsync(networkId, block, cancellationToken));

    public Task<IReadOnlyList<RedemptionHour>> GetRedemptionHoursAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading redemption hours", () => inner.GetRedemptionHoursAsync(since, cancellationToken));

    public Task RecordPassFailureAsync(string network, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a failed pass", () => inner.RecordPassFailureAsync(network, at, reason, cancellationToken));

    public Task RecordPassSuccessAsync(string network, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a successful pass", () => inner.RecordPassSuccessAsync(network, cancellationToken));

    public Task<IReadOnlyList<(SupplyEvent Event, bool IsFinal)>> GetEventsAsync(long networkId, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading events", () => inner.GetEventsAsync(networkId, cancellationToken));

    public Task<DateTimeOffset?> GetNewestBlockTimeAsync(long networkId, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the newest block time", () => inner.GetNewestBlockTimeAsync(networkId, cancellationToken));

    public Task<TokenIdentity?> GetTokenIdentityAsync(string network, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "reading the token identity", () => inner.GetTokenIdentityAsync(network, cancellationToken));

    public Task<TokenIdentity?> RecordTokenIdentityAsync(string network, TokenIdentity read, DateTimeOffset at, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording the token identity", () => inner.RecordTokenIdentityAsync(network, read, at, cancellationToken));

    public Task RecordTokenIdentityMismatchAsync(string network, string? mismatch, CancellationToken cancellationToken) =>
        StoreCalls.Run(translate, "recording a token identity mismatch", () => inner.RecordTokenIdentityMismatchAsync(network, mismatch, cancellationToken));
}
