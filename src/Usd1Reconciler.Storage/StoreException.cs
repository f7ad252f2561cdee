namespace Usd1Reconciler.Storage;

/// <summary>
/// The storage project's own failures (issue 14.1): callers catch these, never a provider's exception type, so the
/// host does not change when a provider is added. Messages name the store by its path (or host and database), never
/// by a connection string: a password must not reach a log line.
/// </summary>
public abstract class StoreException(string message, Exception? inner) : Exception(message, inner);
