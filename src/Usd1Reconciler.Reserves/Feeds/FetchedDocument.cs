namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>The exact bytes a feed delivered and the signature that came with them (header or sidecar), if any.</summary>
public sealed record FetchedDocument(byte[] Body, string? Signature);
