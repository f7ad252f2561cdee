using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>
/// The one registration of the index store's view that every provider plugs into: <see cref="IIndexStore"/> and
/// <see cref="ISupplyStore"/> as the error-translating view of the provider's store and, when that store keeps
/// governance, <see cref="IGovernanceStore"/> as the very same view. Which one applies is decided by the provider's
/// store type at compile time (a generic constraint), so no consumer tests the store's type at run time: a host or
/// verb asks the container for <see cref="IGovernanceStore"/> and gets null when the provider keeps no governance.
/// </summary>
internal static class IndexStoreViewRegistration
{
    /// <summary>A provider store that keeps no governance: <see cref="IGovernanceStore"/> stays unregistered.</summary>
    public static IServiceCollection TryAddIndexStoreView<TStore>(this IServiceCollection services, Func<TStore, StoreErrorTranslation> translation)
        where TStore : class, IIndexStore
    {
        services.TryAddSingleton<IIndexStore>(provider =>
        {
            var store = provider.GetRequiredService<TStore>();
            return new TranslatingIndexStore(store, translation(store));
        });
        services.TryAddSingleton<ISupplyStore>(provider => provider.GetRequiredService<IIndexStore>());
        return services;
    }

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
