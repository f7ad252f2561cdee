namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>
/// What `PRAGMA integrity_check` found (empty when the file is sound) and the schema it carries; <see cref="Schema"/>
/// is null when the file could not be read as a database at all.
/// </summary>
public sealed record StoreCheckResult(IReadOnlyList<string> Problems, SchemaReport? Schema)
{
    public bool IsSound => Problems.Count == 0 && Schema is { Unknown.Count: 0 };
}
