using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The latest governance proof row of a network as both providers read it, and its one mapping to
/// <see cref="GovernanceProofReading"/>; only <c>checked_at</c> differs, declared and read by each provider's subclass.
/// </summary>
internal abstract class GovernanceProofRow
{
    public long BlockNumber { get; init; }
    public string Status { get; init; } = "";

    /// <summary>The differences as JSON text (PostgreSQL reads its <c>jsonb</c> as <c>::text</c>).</summary>
    public string Differences { get; init; } = "";

    public string StateHash { get; init; } = "";
    public string? Reason { get; init; }

    /// <exception cref="StoreSchemaException">The stored status or differences do not parse (names <paramref name="location"/>).</exception>
    public GovernanceProofReading ToReading(string network, string location) => new(
        network,
        BlockNumber,
        GovernanceRecordText.ParseStatus(Status, location),
        GovernanceRecordText.ParseDifferences(Differences, network, location),
        StateHash,
        ReadCheckedAt(),
        Reason);

    /// <summary>The provider's <c>checked_at</c>, read.</summary>
    protected abstract DateTimeOffset ReadCheckedAt();
}
