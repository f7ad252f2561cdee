using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
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
/// SQLite: a new file in a temp folder; PostgreSQL: a new database on the fixture's cluster, copied from a template migrated once.
/// </summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    // One migrated template per started cluster (a fixture's OneTimeSetUp); keyed by the instance, since a later
    // cluster may get the same port.
    private static readonly ConditionalWeakTable<PostgresServer, Task<string>> Templates = new();

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
            var connectionString = await CreateMigratedDatabaseAsync(server, $"contract_{Guid.NewGuid():N}");
            services.AddPostgresStorage(new PostgresStorageSettings(connectionString));
            return new StoreUnderTest(services.BuildServiceProvider(), time, null, connectionString);
        }

        var directory = new TempDirectory("contract");
        services.AddSqliteStorage(new SqliteStorageSettings(directory.File("store.db")));
        return new StoreUnderTest(services.BuildServiceProvider(), time, directory, null);
    }

    /// <summary>
    /// A fresh database with the schema already in it: a copy (<c>CREATE DATABASE … TEMPLATE</c>) of one database per
    /// cluster that the store migrated once. Opening the store then finds every migration applied, as a restarted
    /// instance does; migrating an empty database is tested on its own (PostgresStoreTests). A copy takes a fraction
    /// of the five migrations' time, which every contract test paid before.
    /// </summary>
    private static async Task<string> CreateMigratedDatabaseAsync(PostgresServer server, string name)
    {
        var template = await Templates.GetValue(server, s => CreateTemplateAsync(s));
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
        await command.ExecuteNonQueryAsync();
        return server.ConnectionString(name);
    }

    private static async Task<string> CreateTemplateAsync(PostgresServer server)
    {
        const string template = "contract_template";
        var connectionString = await server.CreateDatabaseAsync(template);
        // The fixture's connection strings turn pooling off, so no connection to the template outlives the store
        // (CREATE DATABASE … TEMPLATE refuses a template with connections).
        await PostgresSupplyStore.Open(new PostgresStorageSettings(connectionString), TimeProvider.System).DisposeAsync();
        return template;
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
