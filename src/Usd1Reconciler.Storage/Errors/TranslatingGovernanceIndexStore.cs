using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>
/// <see cref="TranslatingIndexStore"/> over a provider store that also keeps governance (the SQLite store): the
/// governance reads and the proof record get the same error translation as every other store call.
/// </summary>
internal sealed class TranslatingGovernanceIndexStore(IIndexStore inner, IGovernanceStore governance, StoreErrorTranslation translation)
    : TranslatingIndexStore(inner, translation), IGovernanceStore
{
    private readonly StoreErrorTranslation _translate = translation;

    public Task<IReadOnlyList<GovernanceChange>> GetGovernanceChangesAsync(string network, CancellationToken cancellationToken) =>
        StoreCalls.Run(_translate, "reading governance changes", () => governance.GetGovernanceChangesAsync(network, cancellationToken));

    public Task<IReadOnlyList<GovernanceChange>> GetGovernanceLogAsync(DateTimeOffset? since, CancellationToken cancellationToken) =>
        StoreCalls.Run(_translate, "reading the governance log", () => governance.GetGovernanceLogAsync(since, cancellationToken));

    public Task RecordGovernanceProofAsync(GovernanceProofReading reading, CancellationToken cancellationToken) =>
        StoreCalls.Run(_translate, "recording a governance proof", () => governance.RecordGovernanceProofAsync(reading, cancellationToken));

    public Task<GovernanceProofReading?> GetGovernanceProofAsync(string network, CancellationToken cancellationToken) =>
        StoreCalls.Run(_translate, "reading the governance proof", () => governance.GetGovernanceProofAsync(network, cancellationToken));
}
