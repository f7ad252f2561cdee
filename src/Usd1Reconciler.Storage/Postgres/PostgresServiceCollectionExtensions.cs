using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Storage.Errors;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Maintenance;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// The PostgreSQL storage adapter registers itself, as the SQLite one does (<c>AddSqliteStorage</c>): the same
/// interfaces, each a view that turns Npgsql's errors into <see cref="StoreException"/>s. Every registration is a
/// TryAdd, so a fence registered before (issue 14.4's network lease) replaces <see cref="NoNetworkWriteFence"/>.
/// </summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>The store at <paramref name="settings"/>, connected and migrated when first resolved.</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresStorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton<INetworkWriteFence>(NoNetworkWriteFence.Instance);
        services.TryAddSingleton(provider => PostgresSupplyStore.Open(
            settings, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<INetworkWriteFence>()));
        return AddViews(services, settings);
    }

    /// <summary>A store the caller opened already (the daemon host is given the store its verb opened).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresSupplyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(store);
        // The fence the store was opened with: the host's lease keeper and its jobs must see the same leases.
        services.TryAddSingleton(store.Fence);
        return AddViews(services, store.Settings);
    }

    private static IServiceCollection AddViews(IServiceCollection services, PostgresStorageSettings settings)
    {
        services.TryAddSingleton<IWriterLease>(provider => new SharedStoreWriterLease(settings.Location, provider.GetRequiredService<TimeProvider>()));
        // The PostgreSQL store keeps governance (migration 0053), so IGovernanceStore is registered as the same view.
        services.TryAddGovernanceIndexStoreView<PostgresSupplyStore>(store => store.Translate);
        services.TryAddSingleton<IReconciliationStore>(provider =>
        {
            var store = provider.GetRequiredService<PostgresSupplyStore>();
            return new TranslatingReconciliationStore(new PostgresReconciliationStore(store), store.Translate);
        });
        services.TryAddSingleton<IReserveStore>(provider => provider.GetRequiredService<IReconciliationStore>());
        services.TryAddSingleton<IReportStore>(provider => provider.GetRequiredService<IReconciliationStore>());
        services.TryAddSingleton<IAnomalyStore>(provider =>
        {
            var store = provider.GetRequiredService<PostgresSupplyStore>();
            return new TranslatingAnomalyStore(new PostgresAnomalyStore(store), store.Translate);
        });

        // Maintenance connects itself and never opens the store (`db check` must not migrate).
        services.TryAddSingleton<IStoreMaintenance>(_ => new PostgresStoreMaintenance(settings));
        return services;
    }
}
