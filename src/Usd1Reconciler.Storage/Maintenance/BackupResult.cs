namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>A finished, verified backup: the file, its size and the schema it carries.</summary>
public sealed record BackupResult(string Path, long Bytes, SchemaReport Schema);
