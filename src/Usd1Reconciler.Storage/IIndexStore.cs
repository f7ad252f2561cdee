using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Redemptions;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The supply store as the host uses it (issue 14.1): what the indexers write (<see cref="ISupplyStore"/>) plus the
/// state the host's pass policy and token check keep per network, and the hourly redemption aggregates kept with the final events. Every provider implements it; the host names no
/// provider type. Failures are <see cref="StoreException"/>s — a write's own transaction failing included (the
/// registered instance of every provider translates them, <c>Errors/TranslatingIndexStore</c>) — never a
/// provider-specific exception type the host would have to know.
/// </summary>
public interface IIndexStore : ISupplyStore, IRedemptionHistory
{
    /// <summary>Where the store is, for messages: a file path (a server store names host and database, never its password).</summary>
    string Location { get; }

    /// <summary>Marks the network failing: since the first failure of the outage, with the latest cause.</summary>
    Task RecordPassFailureAsync(string network, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Ends the network's outage, if one was recorded.</summary>
    Task RecordPassSuccessAsync(string network, CancellationToken cancellationToken);

    /// <summary>Every event of a network with whether it is final, oldest first.</summary>
    Task<IReadOnlyList<(SupplyEvent Event, bool IsFinal)>> GetEventsAsync(long networkId, CancellationToken cancellationToken);

    /// <summary>The block time of the newest stored header of the network, if any header has one.</summary>
    Task<DateTimeOffset?> GetNewestBlockTimeAsync(long networkId, CancellationToken cancellationToken);

    /// <summary>The stored token identity (decimals, symbol), or null before it was first read.</summary>
    Task<TokenIdentity?> GetTokenIdentityAsync(string network, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="read"/> unless an identity is stored already; returns the stored one (first read wins), null for an unregistered network.</summary>
    Task<TokenIdentity?> RecordTokenIdentityAsync(string network, TokenIdentity read, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records how the chain's answer differs from the stored identity, or clears it (null).</summary>
    Task RecordTokenIdentityMismatchAsync(string network, string? mismatch, CancellationToken cancellationToken);
}
