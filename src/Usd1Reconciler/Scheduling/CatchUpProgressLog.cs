using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Scheduling;

/// <summary>
/// What `run` says about catching up, at Information: at start, each network's resume point as the store holds it
/// ("resuming at block N, final M"); while a pass is behind its head, one progress line per network every
/// <see cref="Interval"/> (30 s) from the indexer's real cursor; and once per network and process, when its first
/// pass succeeds, "caught up at block N". Registered before the schedules, so the resume point is read before the
/// first pass can move it.
/// </summary>
internal sealed class CatchUpProgressLog(LoadedConfiguration config, IIndexStore store, IndexProgressTracker tracker, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("usd1rec.index");
    private readonly HashSet<string> _caughtUp = new(StringComparer.Ordinal);
    private PeriodicTimer? _timer;

    /// <summary>How often catch-up progress is logged. Default 30 s; tests shorten it.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        tracker.PassSucceeded += OnPassSucceeded;
        // Created here, not in ExecuteAsync (which runs on the thread pool): the interval counts from the start.
        _timer = new PeriodicTimer(Interval, time);
        await LogResumePointsAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        tracker.PassSucceeded -= OnPassSucceeded;
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("started without StartAsync");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var network in config.Options.Networks)
                {
                    var progress = tracker.Snapshot(network.Name);
                    if (progress.CatchingUp)
                    {
                        _logger.LogInformation("{Progress}", progress.Describe());
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }

    private async Task LogResumePointsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Core.Supply.NetworkSupply> stored;
        try
        {
            stored = await store.GetSupplyAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            // Only a log line is lost; the index jobs meet (and report) a store that cannot be read.
            _logger.LogWarning("could not read the resume points from the store: {Reason}", ex.Message);
            return;
        }

        foreach (var network in config.Options.Networks)
        {
            var unit = network.Kind == NetworkKind.Solana ? "slot" : "block";
            var supply = stored.FirstOrDefault(s => s.Name == network.Name);
            if (supply is null || supply.IndexedBlock < 0)
            {
                _logger.LogInformation("network {Network}: nothing indexed yet, starting at {Unit} {Start}", network.Name, unit, network.Kind == NetworkKind.Solana ? 0 : network.StartBlock);
            }
            else
            {
                _logger.LogInformation("network {Network}: resuming at {Unit} {Cursor}, final {Final}", network.Name, unit, supply.IndexedBlock + 1, supply.FinalBlock);
            }
        }
    }

    private void OnPassSucceeded(IndexPassResult result)
    {
        lock (_caughtUp)
        {
            if (!_caughtUp.Add(result.Network))
            {
                return;
            }
        }

        var unit = config.Options.Networks.FirstOrDefault(n => n.Name == result.Network)?.Kind == NetworkKind.Solana ? "slot" : "block";
        _logger.LogInformation("network {Network}: caught up at {Unit} {Tip}, final {Final}", result.Network, unit, result.IndexedTip, result.FinalBlock);
    }
}
