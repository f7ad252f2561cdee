using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Alerting;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Scheduling;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Hosting;

/// <summary>
/// Builds the daemon's Generic Host: logging, the store, the per-network indexers and per-feed pollers, and the
/// Quartz schedules. Other areas (HTTP endpoints, metrics) add themselves here through their own extension methods
/// on the builder, next to <see cref="ScheduleRegistration.AddSchedules"/>.
/// </summary>
internal static class DaemonHost
{
    public static IHost Build(LoadedConfiguration config, SqliteSupplyStore store, TimeProvider time)
    {
        // DisableDefaults: configuration comes from usd1rec's own loader (already validated), not from an
        // appsettings.json that happens to lie in the working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Path.GetDirectoryName(config.FilePath),
        });
        var loggers = LoggingSetup.Create(config.Options.Logging);
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(_ => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        builder.Services.AddSingleton(provider => new TokenIdentityGuard(
            config.Options.Networks,
            store,
            provider.GetRequiredService<SqliteAnomalyStore>(),
            AnomalyPagingFactory.Create(config.Options.Alerting),
            config.Options.Alerting.ResolveAfter / 2,
            provider.GetRequiredService<HttpClient>(),
            time,
            loggers));
        builder.Services.AddSingleton(provider => new IndexPassRunner(store, provider.GetRequiredService<TokenIdentityGuard>(), time, loggers.CreateLogger("usd1rec.index")));
        builder.Services.AddSingleton(provider => CreateServices(config, store, provider.GetRequiredService<TokenIdentityGuard>(), provider.GetRequiredService<HttpClient>(), time, loggers));
        builder.AddSchedules(config, time);
        builder.AddSystemdIntegration();
        builder.AddObservability(config, store, time);
        return builder.Build();
    }

    private static DaemonServices CreateServices(LoadedConfiguration config, SqliteSupplyStore store, TokenIdentityGuard tokens, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        var reconciliationStore = new SqliteReconciliationStore(store);
        var indexers = config.Options.Networks.ToDictionary(n => n.Name, n => NetworkIndexerFactory.Create(n, store, http, time, loggers), StringComparer.Ordinal);
        var feeds = ReserveFeedFactory.CreateAll(config, reconciliationStore, http, time, loggers).ToDictionary(p => p.Feed, StringComparer.Ordinal);
        var runner = new ReconciliationRunner(
            config,
            new CirculatingSupplyReader(config.Options.Networks, store, tokens, http, loggers),
            reconciliationStore,
            reconciliationStore,
            time,
            loggers.CreateLogger("usd1rec.reconcile"),
            store);
        return new DaemonServices(indexers, feeds, runner, reconciliationStore);
    }
}
