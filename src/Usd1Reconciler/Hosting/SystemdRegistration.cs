using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Usd1Reconciler.Hosting;

/// <summary>systemd integration for `usd1rec run` (docker/usd1rec.service: Type=notify, WatchdogSec=).</summary>
internal static class SystemdRegistration
{
    /// <summary>
    /// READY=1 once the host has started, STOPPING=1 on SIGTERM (the host's systemd lifetime), and the watchdog
    /// keep-alive. Outside systemd (no NOTIFY_SOCKET) all of it is inert, so the same binary runs anywhere.
    /// </summary>
    public static IHostApplicationBuilder AddSystemdIntegration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSystemd();
        // AddSystemd registers the notifier only when started by systemd; the watchdog needs one everywhere, and
        // SystemdNotifier without NOTIFY_SOCKET sends nothing.
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<SystemdWatchdog>();
        return builder;
    }
}
