using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Storage.Errors;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Maintenance;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// The storage adapter registers itself (eShop's <c>builder.AddXxx()</c>): the only registration that names SQLite.
/// Every registration is a TryAdd, so a caller that already opened the store (<see cref="AddSqliteStorage(IServiceCollection, SqliteSupplyStore)"/>)
/// keeps its instance when the settings overload runs after it.
/// </summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// The store at <paramref name="settings"/>' path, opened (and migrated) when first resolved — so a writer verb can
    /// take the <see cref="IWriterLease"/> first: opening migrates, and migrating is a write. Resolving the store
    /// throws <see cref="StoreSchemaException"/> for a file that is not a usable store.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, SqliteStorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(provider => SqliteSupplyStore.Open(settings.Path, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IWriterLease>(provider => new SqliteWriterLease(
            settings.Path, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger("usd1rec.lease")));
        return AddViews(services);
    }

    /// <summary>A store the caller opened already (the daemon host is given the store its verb opened).</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, SqliteSupplyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(store);
        services.TryAddSingleton<IWriterLease>(provider => new SqliteWriterLease(
            store.Path, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger("usd1rec.lease")));
        return AddViews(services);
    }

    // The stores over one file share its connection settings; each interface resolves to the same instance.
    private static IServiceCollection AddViews(IServiceCollection services)
    {
        // Every interface is a view that turns SQLite's errors into StoreExceptions (issue 14.1); the concrete stores
        // stay registered for the SQLite-only callers inside this project.
        // The SQLite store keeps governance, so IGovernanceStore is registered as the same view.
        services.TryAddGovernanceIndexStoreView<SqliteSupplyStore>(SqliteErrors.For);
        services.TryAddSingleton(provider => new SqliteReconciliationStore(provider.GetRequiredService<SqliteSupplyStore>()));
        services.TryAddSingleton<IReconciliationStore>(provider => new TranslatingReconciliationStore(
            provider.GetRequiredService<SqliteReconciliationStore>(), SqliteErrors.For(provider.GetRequiredService<SqliteSupplyStore>())));
        services.TryAddSingleton<IReserveStore>(provider => provider.GetRequiredService<IReconciliationStore>());
        services.TryAddSingleton<IReportStore>(provider => provider.GetRequiredService<IReconciliationStore>());
        services.TryAddSingleton(provider => new SqliteAnomalyStore(provider.GetRequiredService<SqliteSupplyStore>()));
        services.TryAddSingleton<IAnomalyStore>(provider => new TranslatingAnomalyStore(
            provider.GetRequiredService<SqliteAnomalyStore>(), SqliteErrors.For(provider.GetRequiredService<SqliteSupplyStore>())));
        // Maintenance works on the file without opening it as a store (`db check` must not migrate a damaged file).
        services.TryAddSingleton<IStoreMaintenance>(provider => new SqliteStoreMaintenance(provider.GetRequiredService<IWriterLease>().StorePath));
        return services;
    }
}
