using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Indexing;

/// <summary>What one pass of <see cref="IndexPassRunner"/> ended with: a result, or the failure already recorded in the store.</summary>
/// <param name="Result">The pass's result when it succeeded.</param>
/// <param name="Failure">Why it failed; null on success.</param>
/// <param name="StopNetwork">
/// True after a reorg below the final block (<see cref="DeepReorganizationException"/>): building on a final
/// history that changed would be a silent rewrite, so the caller stops indexing this network.
/// </param>
internal sealed record IndexPassOutcome(IndexPassResult? Result, Exception? Failure, bool StopNetwork)
{
    /// <summary>The DeepReorg condition this pass raised (or re-posted) for paging, when it stopped the network.</summary>
    public StoredAnomaly? RaisedAnomaly { get; init; }

    /// <summary>
    /// The pass did not run, or stopped, because this instance does not hold the network's writer lease (issue 14.4):
    /// nothing was recorded; the lease holder indexes the network.
    /// </summary>
    public bool NotWriter { get; init; }

    public bool Succeeded => Result is not null;
}
