namespace Usd1Reconciler.Storage;

/// <summary>The store cannot be read or written now (cannot be opened, locked past the busy timeout, I/O, permissions); retrying later may work.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : StoreException(message, inner);
