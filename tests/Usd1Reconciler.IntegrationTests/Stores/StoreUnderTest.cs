using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Postgres;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// One fresh store of either provider, registered exactly as the host registers it (<c>AddSqliteStorage</c> /
/// <c>AddPostgresStorage</c>), so a contract test exercises the interfaces the host resolves — error translation included.
/// SQLite: a new file in a temp folder; PostgreSQL: a new database on the fixture's cluster.
/// </summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempDirectory? _directory;

    private StoreUnderTest(ServiceProvider services, FakeTimeProvider time, TempDirectory? directory, string? connectionString)
    {
        _services = services;
        _directory = directory;
        Time = time;
        ConnectionString = connectionString;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>The PostgreSQL database's connection string (null for SQLite), for tests that look at the tables directly.</summary>
    public string? ConnectionString { get; }

    public IIndexStore Index => _services.GetRequiredService<IIndexStore>();

    /// <summary>The governance record as the host resolves it (both providers register one).</summary>
    public IGovernanceStore Governance => _services.GetRequiredService<IGovernanceStore>();

    public IReconciliationStore Reconciliation => _services.GetRequiredService<IReconciliationStore>();

    public IAnomalyStore Anomalies => _services.GetRequiredService<IAnomalyStore>();

    public IStoreMaintenance Maintenance => _services.GetRequiredService<IStoreMaintenance>();

    public static async Task<StoreUnderTest> CreateAsync(StorageProvider provider, PostgresServer? server, DateTimeOffset start, INetworkWriteFence? fence = null)
    {
        var time = new FakeTimeProvider(start);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        if (fence is not null)
        {
            services.AddSingleton(fence);
        }

        if (provider == StorageProvider.Postgres)
        {
            ArgumentNullException.ThrowIfNull(server);
            var connectionString = await server.CreateDatabaseAsync($"contract_{Guid.NewGuid():N}");
            services.AddPostgresStorage(new PostgresStorageSettings(connectionString));
            return new StoreUnderTest(services.BuildServiceProvider(), time, null, connectionString);
        }

        var directory = new TempDirectory("contract");
        services.AddSqliteStorage(new SqliteStorageSettings(directory.File("store.db")));
        return new StoreUnderTest(services.BuildServiceProvider(), time, directory, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_directory is not null)
        {
            SqliteSupplyStore.ReleasePooledConnections();
            _directory.Dispose();
        }
    }
}
