namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// The store already holds a network of this name with another chain id, kind or token: indexing it would mix two
/// ledgers in one.
/// </summary>
public sealed class NetworkIdentityMismatchException(string message) : Exception(message);
