namespace Usd1Reconciler.Storage;

/// <summary>The store's file cannot be used as it is: unknown schema version, or damage found by the integrity check.</summary>
public sealed class StoreSchemaException(string message, Exception? inner = null) : StoreException(message, inner);
