using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Scheduling;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Hosting;

/// <summary>
/// Builds the daemon's Generic Host: the reconciliation services from the one composition
/// (<see cref="ReconcilerComposition.AddReconciler"/>, the same `reconcile --once` uses), then systemd integration,
/// observability and the schedules, each through its own extension method on the builder.
/// </summary>
internal static class DaemonHost
{
    /// <param name="config">The validated configuration.</param>
    /// <param name="store">The store the verb opened (after taking the writer lease).</param>
    /// <param name="time">The clock of every schedule.</param>
    /// <param name="loggers">The verb's loggers; null creates them from <c>Logging</c>.</param>
    public static IHost Build(LoadedConfiguration config, IIndexStore store, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        // DisableDefaults: configuration comes from usd1rec's own loader (already validated), not from an
        // appsettings.json that happens to lie in the working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Path.GetDirectoryName(config.FilePath),
        });
        builder.Services.AddOpenedStore(store);
        builder.Services.AddReconciler(config, time, loggers ?? LoggingSetup.Create(config.Options.Logging));
        // Before the schedules: hosted services start in order, and the resume points must be read before a pass runs.
        builder.Services.AddSingleton<CatchUpProgressLog>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<CatchUpProgressLog>());
        // Hosted services start one after another. Quartz's start on PostgreSQL validates its schema and re-stores
        // every job and trigger, a lock each (measured 11-14 s of a 29 s restart on a busy machine); the HTTP endpoints
        // and the per-network index loops need none of it, so they start first: a restarted standby is observable and
        // indexes what its leases give it at once instead of holding a lease it does not yet use.
        builder.AddSystemdIntegration();
        builder.AddObservability(config, time);
        builder.AddSchedules(config, time);
        return builder.Build();
    }
}
