using Microsoft.Extensions.DependencyInjection;
using Usd1Reconciler.Storage.Errors;
using Usd1Reconciler.Storage.Postgres;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Storage;

/// <summary>Registers a store the caller opened already, whichever provider opened it, so the host needs no provider type.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>The daemon host is given the store its verb opened (after taking the writer lease); its services use that instance.</summary>
    public static IServiceCollection AddOpenedStore(this IServiceCollection services, IIndexStore store) =>
        store switch
        {
            TranslatingIndexStore translating => services.AddOpenedStore(translating.Inner),
            SqliteSupplyStore sqlite => services.AddSqliteStorage(sqlite),
            PostgresSupplyStore postgres => services.AddPostgresStorage(postgres),
            null => throw new ArgumentNullException(nameof(store)),
            _ => throw new NotSupportedException($"store {store.Location}: {store.GetType().Name} has no registration"),
        };
}
