namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>The versions a migrate run applied now (empty when the store was current) and the schema afterwards.</summary>
public sealed record MigrationResult(IReadOnlyList<int> AppliedNow, SchemaReport Schema);
