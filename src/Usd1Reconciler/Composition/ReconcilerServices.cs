using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Composition;

/// <summary>
/// The reconciliation services, built once per process by <see cref="ReconcilerComposition.AddReconciler"/>: the same
/// objects serve `index`, `reconcile --once` and the daemon's scheduled jobs, so their wiring cannot drift.
/// </summary>
/// <param name="Indexers">One per configured network, by name, in configured order.</param>
/// <param name="Feeds">One poller per configured feed, by name, in configured order.</param>
/// <param name="Passes">The one pass policy every index pass goes through.</param>
/// <param name="Tokens">Stored token identity (decimals), recorded and re-checked after passes.</param>
/// <param name="Runner">Reconciliation: supply against reserves, appended to the hash chain.</param>
/// <param name="ReconciliationStore">Snapshots, rejections and the report chain.</param>
/// <param name="Progress">The indexers' cursors, for progress lines and the catch-up log.</param>
internal sealed record ReconcilerServices(
    IReadOnlyDictionary<string, INetworkIndexer> Indexers,
    IReadOnlyDictionary<string, ReserveFeedPoller> Feeds,
    IndexPassRunner Passes,
    TokenIdentityGuard Tokens,
    ReconciliationRunner Runner,
    IReconciliationStore ReconciliationStore,
    IndexProgressTracker Progress);
