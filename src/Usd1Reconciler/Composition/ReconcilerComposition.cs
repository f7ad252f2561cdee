using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Alerting;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Postgres;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Composition;

/// <summary>
/// The one composition of usd1rec (issue 13.2): every verb's <c>CommandContext</c> and the daemon host call
/// <see cref="AddReconciler"/>, so `index`, `reconcile --once` and `run` are wired from the same code. Each adapter
/// registers itself from settings the host maps from its configuration (the adapters never see host types).
/// Everything is a lazy singleton: a verb that never asks for an indexer never opens the store through one, and a
/// writer verb takes its lease before the first thing that opens the store is resolved.
/// </summary>
internal static class ReconcilerComposition
{
    public static IServiceCollection AddReconciler(this IServiceCollection services, LoadedConfiguration config, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Options;
        foreach (var network in options.Networks.Where(n => n.Kind is not (NetworkKind.Evm or NetworkKind.Solana)))
        {
            throw new NotSupportedException($"network '{network.Name}': kind {network.Kind} is not supported by this build");
        }

        // Replace, not TryAdd: the verb's clock, configuration and loggers win over anything a host registered by default.
        services.Replace(ServiceDescriptor.Singleton(time));
        services.Replace(ServiceDescriptor.Singleton(config));
        services.Replace(ServiceDescriptor.Singleton(loggers));
        // Per-request timeouts live in the JSON-RPC client; the HttpClient's own would cut long backfill replies.
        services.TryAddSingleton(_ => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

        // The storage registration: the one place the host names its provider.
        // On PostgreSQL the network writer leases are the stores' fence (issue 14.4), registered before the stores
        // (which TryAdd a fence that fences nothing); a host given an opened store gets that store's fence instead.
        var instanceId = options.Instance.ResolveId();
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            var settings = new PostgresStorageSettings(options.Storage.ConnectionString!);
            services.TryAddSingleton<INetworkWriteFence>(_ => new PostgresNetworkLeases(settings, instanceId, time, loggers.CreateLogger("usd1rec.lease"), options.Instance.WriterLease));
            services.TryAddSingleton<INetworkWriterLeases>(provider =>
                provider.GetRequiredService<INetworkWriteFence>() as INetworkWriterLeases ?? new WholeStoreNetworkLeases(instanceId));
            services.AddPostgresStorage(settings);
        }
        else
        {
            services.TryAddSingleton<INetworkWriterLeases>(new WholeStoreNetworkLeases(instanceId));
            services.AddSqliteStorage(new SqliteStorageSettings(config.StoragePath));
        }

        services.AddEvmNetworks(options.Networks.Where(n => n.Kind == NetworkKind.Evm).Select(n => NetworkSettingsFactory.Evm(n, options.Reconciliation)).ToList());
        var spool = Path.GetDirectoryName(Path.GetFullPath(config.StoragePath));
        services.AddSolanaNetworks(options.Networks.Where(n => n.Kind == NetworkKind.Solana).Select(n => NetworkSettingsFactory.Solana(n, spool)).ToList());
        services.AddReserveFeeds(ReserveFeedFactory.SettingsOf(config));

        var paging = AnomalyPagingFactory.Create(options.Alerting);
        var refreshAfter = options.Alerting.ResolveAfter / 2;
        services.TryAddSingleton(provider => new TokenIdentityGuard(
            options.Networks,
            provider.GetRequiredService<IIndexStore>(),
            provider.GetRequiredService<IAnomalyStore>(),
            paging,
            refreshAfter,
            provider.GetRequiredService<HttpClient>(),
            time,
            loggers));
        services.TryAddSingleton(provider => new RefusedReorgAlarm(
            provider.GetRequiredService<IAnomalyStore>(), paging, refreshAfter, time, loggers.CreateLogger("usd1rec.anomalies")));
        // The indexers report their cursor to it as they commit (the adapters resolve IIndexProgress), the pass runner
        // the end of each pass: the one source of `index`'s progress lines and `run`'s catch-up log.
        services.TryAddSingleton(_ => new IndexProgressTracker(
            options.Networks.ToDictionary(n => n.Name, n => n.Kind == NetworkKind.Solana ? "slot" : "block", StringComparer.Ordinal), time));
        services.TryAddSingleton<IIndexProgress>(provider => provider.GetRequiredService<IndexProgressTracker>());
        services.TryAddSingleton(provider => new IndexPassRunner(
            provider.GetRequiredService<IIndexStore>(),
            provider.GetRequiredService<TokenIdentityGuard>(),
            provider.GetRequiredService<RefusedReorgAlarm>(),
            time,
            loggers.CreateLogger("usd1rec.index"),
            provider.GetRequiredService<INetworkWriterLeases>())
        {
            Progress = provider.GetRequiredService<IndexProgressTracker>(),
        });
        services.TryAddSingleton(provider => new ReconciliationRunner(
            config,
            new CirculatingSupplyReader(options.Networks, provider.GetRequiredService<IIndexStore>(), provider.GetRequiredService<TokenIdentityGuard>(), provider.GetRequiredService<HttpClient>(), loggers),
            provider.GetRequiredService<IReconciliationStore>(),
            provider.GetRequiredService<IReconciliationStore>(),
            time,
            loggers.CreateLogger("usd1rec.reconcile"),
            provider.GetRequiredService<IIndexStore>(),
            provider.GetService<Core.Governance.IGovernanceStore>()));
        services.TryAddSingleton(provider =>
        {
            var indexers = provider.GetServices<INetworkIndexer>().ToDictionary(i => i.Network, StringComparer.Ordinal);
            var feeds = provider.GetServices<ReserveFeedPoller>().ToDictionary(p => p.Feed, StringComparer.Ordinal);
            return new ReconcilerServices(
                options.Networks.ToDictionary(n => n.Name, n => indexers[n.Name], StringComparer.Ordinal),
                options.Reserves.Feeds.ToDictionary(f => f.Name, f => feeds[f.Name], StringComparer.Ordinal),
                provider.GetRequiredService<IndexPassRunner>(),
                provider.GetRequiredService<TokenIdentityGuard>(),
                provider.GetRequiredService<ReconciliationRunner>(),
                provider.GetRequiredService<IReconciliationStore>(),
                provider.GetRequiredService<IndexProgressTracker>());
        });
        return services;
    }
}
