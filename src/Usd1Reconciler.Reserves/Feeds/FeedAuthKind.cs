namespace Usd1Reconciler.Reserves.Feeds;

public enum FeedAuthKind
{
    /// <summary>No authentication (a file the operator controls, a feed on a private network).</summary>
    None,

    /// <summary>The daemon sends <c>Authorization: Bearer &lt;token&gt;</c>; the custodian checks it.</summary>
    Bearer,

    /// <summary>The custodian signs the body with HMAC-SHA256 under a shared secret (header X-Signature-Sha256, hex).</summary>
    Hmac,

    /// <summary>The custodian signs the body with Ed25519; the daemon holds only the public key (header X-Signature-Ed25519, base64).</summary>
    Ed25519,
}
