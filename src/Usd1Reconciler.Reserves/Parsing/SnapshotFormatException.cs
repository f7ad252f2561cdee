namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>The document cannot be read as the feed's format; the message says where and why.</summary>
public sealed class SnapshotFormatException(string message) : Exception(message);
