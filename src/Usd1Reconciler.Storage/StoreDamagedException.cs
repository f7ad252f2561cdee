namespace Usd1Reconciler.Storage;

/// <summary>A read touched damaged pages, or the file is not a store at all: retrying will not help; check it and restore a backup.</summary>
public sealed class StoreDamagedException(string message, Exception? inner = null) : StoreException(message, inner);
