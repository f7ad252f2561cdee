using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>A supply_events row as Dapper reads it (<see cref="PostgresSupplyStore.EventColumns"/>), and its domain event.</summary>
internal sealed class PostgresEventRow
{
    public long RowId { get; init; }
    public string Kind { get; init; } = "";
    public long BlockNumber { get; init; }
    public string BlockHash { get; init; } = "";
    public string TxId { get; init; } = "";
    public int Position { get; init; }
    public int SubPosition { get; init; }
    public string? Actor { get; init; }
    public string Holder { get; init; } = "";
    public string Amount { get; init; } = "";
    public DateTime? BlockTime { get; init; }
    public bool IsFinal { get; init; }

    public SupplyEvent ToEvent() => new(
        Kind == "mint" ? SupplyEventKind.Mint : SupplyEventKind.Burn,
        BlockNumber,
        BlockHash,
        TxId,
        Position,
        SubPosition,
        Actor,
        Holder,
        PostgresSupplyStore.ParseAmount(Amount),
        PostgresSupplyStore.Time(BlockTime));
}
