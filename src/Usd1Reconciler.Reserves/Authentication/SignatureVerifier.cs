using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Usd1Reconciler.Reserves.Authentication;

/// <summary>
/// Checks a feed document's signature over the exact bytes received. Returns null when it holds, else the reason.
/// Comparisons of secret-derived values are constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>),
/// so a forger learns nothing from how long a refusal takes.
/// </summary>
public static class SignatureVerifier
{
    public static string? VerifyHmacSha256(byte[] body, byte[] secret, string? signature)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return "signature: the document carries no HMAC-SHA256 signature";
        }

        var text = signature.Trim();
        if (text.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..];
        }

        if (!TryHex(text, out var provided) || provided.Length != 32)
        {
            return "signature: the HMAC-SHA256 signature is not 64 hex digits";
        }

        var expected = HMACSHA256.HashData(secret, body);
        return CryptographicOperations.FixedTimeEquals(expected, provided)
            ? null
            : "signature: HMAC-SHA256 does not match the body (tampered, or signed with another secret)";
    }

    public static string? VerifyEd25519(byte[] body, byte[] publicKey, string? signature)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return "signature: the document carries no Ed25519 signature";
        }

        var text = signature.Trim();
        byte[] bytes;
        if (text.Length == 128 && TryHex(text, out var hex))
        {
            bytes = hex;
        }
        else
        {
            try
            {
                bytes = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                return "signature: the Ed25519 signature is neither base64 nor 128 hex digits";
            }
        }

        if (bytes.Length != Ed25519PublicKeyParameters.KeySize * 2)
        {
            return $"signature: the Ed25519 signature has {bytes.Length} bytes, not 64";
        }

        var signer = new Ed25519Signer();
        signer.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        signer.BlockUpdate(body, 0, body.Length);
        return signer.VerifySignature(bytes)
            ? null
            : "signature: Ed25519 signature does not verify under the configured public key (tampered, or signed with another key)";
    }

    /// <summary>Parses a configured key: 32 bytes as base64 or 64 hex digits.</summary>
    public static bool TryParsePublicKey(string? text, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 64 && TryHex(trimmed, out var hex))
        {
            key = hex;
            return true;
        }

        try
        {
            key = Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length == Ed25519PublicKeyParameters.KeySize;
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(text);
        return true;
    }
}
