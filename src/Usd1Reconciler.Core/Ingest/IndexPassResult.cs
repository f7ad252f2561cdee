using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Ingest;

/// <summary>What one indexing pass did.</summary>
/// <param name="IndexedTip">Block/slot the index reached.</param>
/// <param name="FinalBlock">Block/slot up to which events are final.</param>
/// <param name="EventsAdded">Events stored by this pass (provisional or final).</param>
/// <param name="ReorgsHandled">Forks rolled back during this pass.</param>
/// <param name="Proof">Ledger proof at <paramref name="FinalBlock"/>, or Stale when it could not be taken.</param>
public sealed record IndexPassResult(
    string Network,
    long IndexedTip,
    long FinalBlock,
    int EventsAdded,
    int ReorgsHandled,
    LedgerProofStatus Proof);
