using System.Diagnostics;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>Reads /proc/&lt;pid&gt;/status every second until stopped or the process is gone.</summary>
internal sealed class RssSampler(ChildProcess daemon, Stopwatch clock)
{
    private readonly List<RssSample> _samples = [];

    public IReadOnlyList<RssSample> Samples => _samples;

    public RssSample Latest { get; private set; } = new(TimeSpan.Zero, 0, 0);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), TimeProvider.System);
        try
        {
            do
            {
                if (BenchEnvironment.ProcStatus(daemon.Pid) is not { } status || daemon.HasExited)
                {
                    return;
                }

                Latest = new RssSample(clock.Elapsed, status.GetValueOrDefault("VmRSS"), status.GetValueOrDefault("VmHWM"));
                _samples.Add(Latest);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
