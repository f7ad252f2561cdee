using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Configuration;

/// <summary>A feed's authentication. Secrets are best given as files: <c>SecretFile</c> (see the secret-file rule in the README).</summary>
public sealed class FeedAuthOptions
{
    /// <summary><value>Default <c>None</c>.</value> <c>None</c>, <c>Bearer</c>, <c>Hmac</c> or <c>Ed25519</c>.</summary>
    public FeedAuthKind Kind { get; set; } = FeedAuthKind.None;

    /// <summary>Bearer: the token sent; Hmac: the shared HMAC-SHA256 key (UTF-8). Required for those kinds.</summary>
    public string? Secret { get; set; }

    /// <summary>Ed25519: the custodian's public key, 32 bytes as base64 or 64 hex digits. Required for that kind.</summary>
    public string? PublicKey { get; set; }
}
