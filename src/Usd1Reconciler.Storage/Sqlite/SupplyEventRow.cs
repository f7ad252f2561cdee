using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>A supply_events row as Dapper reads it (columns aliased to these names), and its domain event.</summary>
internal sealed class SupplyEventRow
{
    public long RowId { get; init; }
    public string Kind { get; init; } = "";
    public long BlockNumber { get; init; }
    public string BlockHash { get; init; } = "";
    public string TxId { get; init; } = "";
    public long Position { get; init; }
    public long SubPosition { get; init; }
    public string? Actor { get; init; }
    public string Holder { get; init; } = "";
    public string Amount { get; init; } = "";
    public string? BlockTime { get; init; }
    public long IsFinal { get; init; }

    public SupplyEvent ToEvent() => new(
        Kind == "mint" ? SupplyEventKind.Mint : SupplyEventKind.Burn,
        BlockNumber,
        BlockHash,
        TxId,
        (int)Position,
        (int)SubPosition,
        Actor,
        Holder,
        SqliteSupplyStore.ParseAmount(Amount),
        BlockTime is null ? null : SqliteSupplyStore.ParseTime(BlockTime));
}
