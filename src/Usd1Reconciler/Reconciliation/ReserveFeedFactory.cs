using System.Text;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Reserves.Authentication;
using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// Maps validated feed options to the reserves adapter's settings (it registers its pollers from them,
/// <c>AddReserveFeeds</c>). Relative paths are taken relative to the configuration file.
/// </summary>
internal static class ReserveFeedFactory
{
    public static IReadOnlyList<ReserveFeedSettings> SettingsOf(LoadedConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Options.Reserves.Feeds.Select(f => Settings(config, f)).ToList();
    }

    public static ReserveFeedSettings Settings(LoadedConfiguration config, ReserveFeedOptions f)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(f);
        var path = string.IsNullOrWhiteSpace(f.Path) ? null : Path.GetFullPath(f.Path, Path.GetDirectoryName(config.FilePath)!);
        var format = f.Kind switch
        {
            ReserveFeedKind.ProofOfReserve => ReserveFeedFormat.ProofOfReserve,
            ReserveFeedKind.File when path is not null && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) => ReserveFeedFormat.CustodianCsv,
            _ => ReserveFeedFormat.CustodianJson,
        };
        var auth = f.Auth.Kind switch
        {
            FeedAuthKind.Bearer or FeedAuthKind.Hmac => new FeedAuthSettings(f.Auth.Kind, Encoding.UTF8.GetBytes(f.Auth.Secret!), null),
            FeedAuthKind.Ed25519 => new FeedAuthSettings(
                f.Auth.Kind, null, SignatureVerifier.TryParsePublicKey(f.Auth.PublicKey, out var key) ? key : throw new InvalidOperationException($"feed '{f.Name}': bad public key")),
            _ => FeedAuthSettings.None,
        };
        return new ReserveFeedSettings(
            f.Name,
            format,
            string.IsNullOrWhiteSpace(f.Url) ? null : new Uri(f.Url),
            path,
            auth,
            f.RequestTimeout,
            config.Options.Reserves.MaxClockSkew,
            f.Custodian);
    }
}
