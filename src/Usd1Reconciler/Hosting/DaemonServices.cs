using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Hosting;

/// <summary>What the scheduled jobs work with, built once per daemon from the validated configuration.</summary>
internal sealed record DaemonServices(
    IReadOnlyDictionary<string, INetworkIndexer> Indexers,
    IReadOnlyDictionary<string, ReserveFeedPoller> Feeds,
    ReconciliationRunner Runner,
    SqliteReconciliationStore ReconciliationStore);
