using System.Text;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Reserves.Authentication;
using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Reconciliation;

/// <summary>Turns validated feed options into pollers. Relative paths are taken relative to the configuration file.</summary>
internal static class ReserveFeedFactory
{
    public static IReadOnlyList<ReserveFeedPoller> CreateAll(LoadedConfiguration config, IReserveStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers) =>
        config.Options.Reserves.Feeds.Select(f => Create(config, f, store, http, time, loggers)).ToList();

    public static ReserveFeedPoller Create(LoadedConfiguration config, ReserveFeedOptions f, IReserveStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
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
        var settings = new ReserveFeedSettings(
            f.Name,
            format,
            string.IsNullOrWhiteSpace(f.Url) ? null : new Uri(f.Url),
            path,
            auth,
            f.RequestTimeout,
            config.Options.Reserves.MaxClockSkew,
            f.Custodian);
        IReserveDocumentSource source = settings.Url is not null
            ? new HttpReserveDocumentSource(settings, http, time)
            : new FileReserveDocumentSource(settings);
        return new ReserveFeedPoller(settings, source, store, time, loggers.CreateLogger($"usd1rec.feed.{f.Name}"));
    }
}
