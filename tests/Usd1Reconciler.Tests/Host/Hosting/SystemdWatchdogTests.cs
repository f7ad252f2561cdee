using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Hosting;

namespace Usd1Reconciler.Tests.Host.Hosting;

public sealed class SystemdWatchdogTests
{
    [TestCase("60000000", null, 4242, 30.0)]
    [TestCase("60000000", "4242", 4242, 30.0)]
    public void PingInterval_WatchdogForThisProcess_HalfThePeriod(string usec, string? pid, int current, double seconds) =>
        Assert.That(SystemdWatchdog.PingInterval(usec, pid, current), Is.EqualTo(TimeSpan.FromSeconds(seconds)),
            "systemd recommends pinging at half WatchdogSec so one late ping is not fatal");

    [TestCase(null, null)]
    [TestCase("0", null)]
    [TestCase("soon", null)]
    [TestCase("60000000", "1")]
    public void PingInterval_NoWatchdogOrAnotherProcess_Null(string? usec, string? pid) =>
        Assert.That(SystemdWatchdog.PingInterval(usec, pid, 4242), Is.Null);

    [Test]
    public async Task PingAsync_TimeAdvances_OnePingAtStartAndOnePerInterval()
    {
        var time = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        var watchdog = new SystemdWatchdog(notifier, time, NullLogger<SystemdWatchdog>.Instance);
        using var stop = new CancellationTokenSource();

        var pinging = watchdog.PingAsync(TimeSpan.FromSeconds(30), stop.Token);
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Yield();
        }

        await stop.CancelAsync();
        await pinging;

        Assert.That(notifier.States, Has.Count.EqualTo(4));
        Assert.That(notifier.States, Has.All.EqualTo("WATCHDOG=1"));
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly List<string> _states = [];

        public bool IsEnabled => true;

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public void Notify(ServiceState state)
        {
            lock (_states)
            {
                _states.Add(state.ToString());
            }
        }
    }
}
