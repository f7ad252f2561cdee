using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>
/// The one registration of the index store's view that every provider plugs into: <see cref="IIndexStore"/>,
/// <see cref="ISupplyStore"/> and <see cref="IGovernanceStore"/> as one error-translating view of the provider's
/// store. The provider's store must keep governance (a generic constraint, checked at compile time; SQLite and
/// PostgreSQL both do), so no consumer tests the store's type at run time. Hosts and harnesses built without the
/// container may still pass no governance store; the daemon then screens supply only.
/// </summary>
internal static class IndexStoreViewRegistration
{
    /// <summary>A provider store that keeps governance: the index, supply and governance interfaces are one view.</summary>
    public static IServiceCollection TryAddGovernanceIndexStoreView<TStore>(this IServiceCollection services, Func<TStore, StoreErrorTranslation> translation)
        where TStore : class, IIndexStore, IGovernanceStore
    {
        services.TryAddSingleton(provider =>
        {
            var store = provider.GetRequiredService<TStore>();
            return new TranslatingGovernanceIndexStore(store, store, translation(store));
        });
        services.TryAddSingleton<IIndexStore>(provider => provider.GetRequiredService<TranslatingGovernanceIndexStore>());
        services.TryAddSingleton<IGovernanceStore>(provider => provider.GetRequiredService<TranslatingGovernanceIndexStore>());
        services.TryAddSingleton<ISupplyStore>(provider => provider.GetRequiredService<IIndexStore>());
        return services;
    }
}
