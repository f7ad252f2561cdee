namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>HTTP headers the custodian puts its signature in. For file feeds the signature is the sidecar file <c>&lt;path&gt;.sig</c>.</summary>
public static class ReserveFeedHeaders
{
    /// <summary>Lower-case hex HMAC-SHA256 of the body, optionally prefixed "sha256=".</summary>
    public const string HmacSha256 = "X-Signature-Sha256";

    /// <summary>Base64 (or 128 hex digits) Ed25519 signature of the body.</summary>
    public const string Ed25519 = "X-Signature-Ed25519";

    /// <summary>Largest document accepted from a feed; a bigger one is refused before it is read whole.</summary>
    public const int MaxBodyBytes = 1 << 20;
}
