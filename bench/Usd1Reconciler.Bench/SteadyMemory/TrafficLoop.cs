using System.Diagnostics;
using System.Numerics;
using System.Text.Json;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>One network's sends: a step every <see cref="TrafficPeriod"/> (or right after a slower one), never two at once.</summary>
internal sealed class TrafficLoop(string name, Func<int, CancellationToken, Task> step)
{
    /// <summary>A step on each network this often, one at a time per network.</summary>
    public static readonly TimeSpan TrafficPeriod = TimeSpan.FromMilliseconds(1500);

    /// <summary>1,000 tokens of 6 decimals per mint, 400 per burn: two mints then a burn, so supply only grows.</summary>
    public static readonly BigInteger MintAmount = 1_000_000_000;

    public static readonly BigInteger BurnAmount = 400_000_000;

    public string Name => name;

    public int Sent { get; private set; }

    public int Failed { get; private set; }

    public string? LastError { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    await step(i, cancellationToken);
                    Sent++;
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or JsonException or IOException)
                {
                    Failed++;
                    LastError = ex.Message.Split('\n')[0];
                }

                var wait = (TrafficPeriod * (i + 1)) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, TimeProvider.System, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
