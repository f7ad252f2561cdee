namespace Usd1Reconciler.Core.Reserves;

/// <summary>A document a feed delivered that was not accepted, kept with the reason and the exact bytes for audit.</summary>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the body, or null when nothing was received.</param>
public sealed record FeedRejection(string Feed, DateTimeOffset ReceivedAt, string Reason, string? ContentSha256, byte[] Body);
