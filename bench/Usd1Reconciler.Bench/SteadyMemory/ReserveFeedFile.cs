using System.Globalization;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>The file reserve feed the daemon polls: written before it starts and rewritten with a fresh as-of time while it runs.</summary>
internal static class ReserveFeedFile
{
    private static readonly TimeSpan FeedPeriod = TimeSpan.FromSeconds(10);

    /// <summary>A custodian statement of 1 billion USD in cash, with a fresh as-of time, swapped in by rename.</summary>
    public static async Task WriteReservesAsync(string path, CancellationToken cancellationToken)
    {
        var asOf = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(path + ".tmp", $$"""
            {"custodian":"Bench Trust","asOf":"{{asOf}}","attestation":"steady-memory bench","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"1000000000.00","bank":"Bench Bank","daysToLiquidity":0}]}
            """, cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static async Task RewriteReservesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(FeedPeriod, TimeProvider.System, cancellationToken);
                await WriteReservesAsync(path, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
