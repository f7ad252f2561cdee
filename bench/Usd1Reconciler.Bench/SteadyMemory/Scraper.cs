using System.Diagnostics;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>What Prometheus and an operator's browser do: /metrics and the status page every 15 s; also when /readyz first said yes.</summary>
internal sealed class Scraper(HttpClient http, Uri baseUrl, Stopwatch clock)
{
    private static readonly TimeSpan ScrapePeriod = TimeSpan.FromSeconds(15);

    public int Ok { get; private set; }

    public int Failed { get; private set; }

    public TimeSpan? ReadyAt { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (ReadyAt is null)
            {
                try
                {
                    using var ready = await http.GetAsync(new Uri(baseUrl, "readyz"), cancellationToken);
                    if (ready.IsSuccessStatusCode)
                    {
                        ReadyAt = clock.Elapsed;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Kestrel not listening yet.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, cancellationToken);
            }

            while (true)
            {
                foreach (var path in new[] { "metrics", string.Empty })
                {
                    try
                    {
                        using var reply = await http.GetAsync(new Uri(baseUrl, path), cancellationToken);
                        await reply.Content.CopyToAsync(Stream.Null, cancellationToken);
                        _ = reply.IsSuccessStatusCode ? Ok++ : Failed++;
                    }
                    catch (HttpRequestException)
                    {
                        Failed++;
                    }
                }

                await Task.Delay(ScrapePeriod, TimeProvider.System, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
