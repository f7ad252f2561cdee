using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Usd1Reconciler.Hosting;

/// <summary>
/// Sends systemd's watchdog keep-alive (WATCHDOG=1) at half the unit's WatchdogSec. Microsoft.Extensions.Hosting.Systemd
/// reports READY and STOPPING but never pings the watchdog, so without this a unit with WatchdogSec= would be killed
/// one period after start. The ping runs on the thread pool timer: a process that deadlocks or starves its pool
/// stops pinging and systemd restarts it. Does nothing outside systemd or without WatchdogSec.
/// </summary>
internal sealed class SystemdWatchdog(ISystemdNotifier notifier, TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState KeepAlive = new("WATCHDOG=1");

    /// <summary>
    /// The ping interval from systemd's WATCHDOG_USEC (microseconds) and WATCHDOG_PID (the process meant, when set);
    /// null when the watchdog is off or meant for another process (a child of ours inherits the variables).
    /// </summary>
    public static TimeSpan? PingInterval(string? watchdogUsec, string? watchdogPid, int currentPid)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        if (watchdogPid is not null && watchdogPid != currentPid.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = PingInterval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"),
            Environment.ProcessId);
        if (!notifier.IsEnabled || interval is not { } every)
        {
            return;
        }

        logger.LogInformation("systemd watchdog: pinging every {Interval}", every);
        await PingAsync(every, stoppingToken);
    }

    internal async Task PingAsync(TimeSpan every, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            do
            {
                notifier.Notify(KeepAlive);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: systemd got STOPPING=1 from the lifetime and no longer expects pings.
        }
    }
}
