namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>Authentication of one feed.</summary>
/// <param name="Secret">Bearer token or HMAC key bytes.</param>
/// <param name="PublicKey">Ed25519 public key, 32 bytes.</param>
public sealed record FeedAuthSettings(FeedAuthKind Kind, byte[]? Secret, byte[]? PublicKey)
{
    public static FeedAuthSettings None { get; } = new(FeedAuthKind.None, null, null);
}
