using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Storage;

/// <summary>
/// A governance change row as both providers read it, and its one mapping to <see cref="GovernanceChange"/>. The block
/// time and the final flag differ between the providers (<c>timestamptz</c> and <c>boolean</c> against ISO-8601 text
/// and 0/1): each declares those in its subclass and says how to read them.
/// </summary>
internal abstract class GovernanceChangeRow
{
    public string Network { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
    public string? Actor { get; init; }
    public long BlockNumber { get; init; }
    public string BlockHash { get; init; } = "";
    public string TxId { get; init; } = "";
    public long Position { get; init; }
    public long SubPosition { get; init; }

    /// <exception cref="StoreSchemaException">The stored kind is not one this build knows (names <paramref name="location"/>).</exception>
    public GovernanceChange ToChange(string location)
    {
        var (blockTime, isFinal) = ReadBlockTimeAndFinal();
        return new GovernanceChange(
            Network, GovernanceRecordText.ParseKind(Kind, location), Subject, OldValue, NewValue, Actor, BlockNumber, BlockHash, TxId, (int)Position, (int)SubPosition, blockTime)
        {
            IsFinal = isFinal,
        };
    }

    /// <summary>The provider's columns <c>block_time</c> and <c>IsFinal</c> (block at or below the network's final block), read.</summary>
    protected abstract (DateTimeOffset? BlockTime, bool IsFinal) ReadBlockTimeAndFinal();
}
