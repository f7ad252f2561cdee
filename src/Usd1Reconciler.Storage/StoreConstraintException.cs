namespace Usd1Reconciler.Storage;

/// <summary>
/// A write broke one of the store's constraints (a duplicate event key above all) and was rolled back whole: a bug or
/// a second writer, which retrying does not fix. Nothing of the write was stored.
/// </summary>
public sealed class StoreConstraintException(string message, Exception? inner = null) : StoreException(message, inner);
