namespace Usd1Reconciler.Storage;

/// <summary>One numbered, forward-only migration embedded in the storage assembly (<c>NNNN_name.sql</c>).</summary>
internal sealed record StoreMigration(int Version, string Name, string Sql);
