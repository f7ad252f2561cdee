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
/// (<see cref="ReconcilerComposition.AddReconciler"/>, the same `reconcile --once` uses), then the Quartz schedules,
/// systemd integration and observability, each through its own extension method on the builder.
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
        builder.AddSchedules(config, time);
        builder.AddSystemdIntegration();
        builder.AddObservability(config, time);
        return builder.Build();
    }
}
