using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Reserves.Authentication;
using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Configuration;

public static partial class OptionsValidator
{
    /// <summary>Reserve feeds: unique names, and the keys each Kind and authentication kind needs.</summary>
    private static void ValidateFeeds(ReconcilerOptions options, List<string> problems)
    {
        var feedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Reserves.Feeds.Count; i++)
        {
            var f = options.Reserves.Feeds[i];
            var key = $"Reserves:Feeds:{i}";
            if (f.Name.Length > 0 && !feedNames.Add(f.Name))
            {
                problems.Add($"{key}:Name: '{f.Name}' is used by another feed");
            }

            var hasUrl = !string.IsNullOrWhiteSpace(f.Url);
            var hasPath = !string.IsNullOrWhiteSpace(f.Path);
            switch (f.Kind)
            {
                case ReserveFeedKind.Http when !hasUrl || hasPath:
                    problems.Add($"{key}:Url: an Http feed needs a Url (and no Path)");
                    break;
                case ReserveFeedKind.File when !hasPath || hasUrl:
                    problems.Add($"{key}:Path: a File feed needs a Path (and no Url)");
                    break;
                case ReserveFeedKind.ProofOfReserve when hasUrl == hasPath:
                    problems.Add($"{key}: a ProofOfReserve feed needs exactly one of Url and Path");
                    break;
            }

            switch (f.Auth.Kind)
            {
                case FeedAuthKind.Bearer when !hasUrl:
                    problems.Add($"{key}:Auth:Kind: Bearer applies to feeds fetched over HTTP only");
                    break;
                case FeedAuthKind.Bearer or FeedAuthKind.Hmac when string.IsNullOrEmpty(f.Auth.Secret):
                    problems.Add($"{key}:Auth:Secret: required for {f.Auth.Kind} (or Auth:SecretFile)");
                    break;
                case FeedAuthKind.Ed25519 when !SignatureVerifier.TryParsePublicKey(f.Auth.PublicKey, out _):
                    problems.Add($"{key}:Auth:PublicKey: required for Ed25519, 32 bytes as base64 or 64 hex digits");
                    break;
            }
        }

        problems.AddRange(options.Reconciliation.Redemptions.Validate("Reconciliation:Redemptions"));
        problems.AddRange(options.Reconciliation.BusinessCalendar.Validate("Reconciliation:BusinessCalendar"));
    }

    /// <summary>ExcludedHolders (address format by the network's Kind, no holder twice) and BridgedFrom (names a real origin).</summary>
    private static void ValidateExcludedHolders(ReconcilerOptions options, List<string> problems)
    {
        var byName = options.Networks.Where(n => !string.IsNullOrEmpty(n.Name)).GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < options.Networks.Count; i++)
        {
            var n = options.Networks[i];
            var key = $"Networks:{i}";
            var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var h = 0; h < n.ExcludedHolders.Count; h++)
            {
                var holder = n.ExcludedHolders[h];
                var valid = n.Kind switch
                {
                    NetworkKind.Evm => EvmAddressAttribute.IsAddress(holder.Address),
                    NetworkKind.Solana => Base58AddressAttribute.IsAddress(holder.Address),
                    _ => true,
                };
                if (!valid)
                {
                    problems.Add($"{key}:ExcludedHolders:{h}:Address: '{holder.Address}' is not a {(n.Kind == NetworkKind.Solana ? "base58 token account" : "0x + 40 hex digit")} address");
                }
                else if (!addresses.Add(holder.Address))
                {
                    problems.Add($"{key}:ExcludedHolders:{h}:Address: listed twice; its balance would be subtracted twice");
                }
            }

            if (n.BridgedFrom is { } origin)
            {
                if (string.Equals(origin, n.Name, StringComparison.Ordinal) || !byName.TryGetValue(origin, out var originNetwork))
                {
                    problems.Add($"{key}:BridgedFrom: '{origin}' must name another configured network");
                }
                else if (originNetwork.BridgedFrom is not null)
                {
                    problems.Add($"{key}:BridgedFrom: '{origin}' is itself bridged from '{originNetwork.BridgedFrom}'; name the origin network");
                }
                else if (originNetwork.ExcludedHolders.Count == 0)
                {
                    problems.Add($"{key}:BridgedFrom: origin '{origin}' lists no ExcludedHolders; its bridge lock box must be excluded there or bridged tokens count twice");
                }
            }
        }
    }
}
