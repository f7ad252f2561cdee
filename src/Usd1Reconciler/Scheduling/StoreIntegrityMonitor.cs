using Microsoft.Extensions.Logging;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Maintenance;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// Runs SQLite's full integrity check on the store (read-only, in one read transaction beside the indexer's writes,
/// off the scheduler's thread) and exports the outcome: <c>usd1_store_integrity_ok</c> 1 or 0 and the time it
/// finished. Damage is logged as an error naming the problems SQLite reported, and <c>Usd1StoreDamaged</c> pages.
/// A schema written by a newer release is not damage: opening already refuses such a store.
/// </summary>
internal sealed class StoreIntegrityMonitor(IStoreMaintenance store, string storePath, ReconcilerMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>Problems named in the log; SQLite lists up to 100, which would drown the line.</summary>
    private const int ProblemsLogged = 10;

    public async Task<StoreCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = await Task.Run(() => store.Check(), cancellationToken);
        var elapsed = time.GetElapsedTime(started);
        var sound = result.Problems.Count == 0 && result.Schema is not null;
        metrics.StoreIntegrityOk.Set(sound ? 1 : 0);
        metrics.StoreIntegrityLastCheck.Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        metrics.StoreIntegrityCheckDuration.Set(elapsed.TotalSeconds);
        if (sound)
        {
            logger.LogInformation("store {Path}: integrity check ok in {Seconds:0.0} s", storePath, elapsed.TotalSeconds);
        }
        else
        {
            logger.LogError(
                "store {Path}: integrity check found damage ({Count} problems): {Problems}; stop the daemon, run `usd1rec db check` and restore the store from a backup",
                storePath, result.Problems.Count, string.Join("; ", result.Problems.Take(ProblemsLogged)));
        }

        return result;
    }
}
