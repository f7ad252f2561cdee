using Quartz;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Reserves.Authentication;
using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Configuration;

public static partial class OptionsValidator
{
    /// <summary>Reserves, Reconciliation, and the per-network ExcludedHolders/BridgedFrom keys.</summary>
    private static void ValidateReconciliation(ReconcilerOptions options, List<string> problems)
    {
        var feedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (options.Reserves.MaxClockSkew < TimeSpan.Zero)
        {
            problems.Add("Reserves:MaxClockSkew: must not be negative");
        }

        for (var i = 0; i < options.Reserves.Feeds.Count; i++)
        {
            var f = options.Reserves.Feeds[i];
            var key = $"Reserves:Feeds:{i}";
            if (!NamePattern().IsMatch(f.Name))
            {
                problems.Add($"{key}:Name: '{f.Name}' must be 1-64 letters, digits, '-' or '_'");
            }
            else if (!feedNames.Add(f.Name))
            {
                problems.Add($"{key}:Name: '{f.Name}' is used by another feed");
            }

            var hasUrl = !string.IsNullOrWhiteSpace(f.Url);
            var hasPath = !string.IsNullOrWhiteSpace(f.Path);
            switch (f.Kind)
            {
                case null:
                    problems.Add($"{key}:Kind: required, one of Http, File, ProofOfReserve");
                    break;
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

            if (hasUrl && (!Uri.TryCreate(f.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                problems.Add($"{key}:Url: not an absolute http(s) URL");
            }

            if (f.PollInterval <= TimeSpan.Zero)
            {
                problems.Add($"{key}:PollInterval: must be positive");
            }

            if (f.StaleAfter <= TimeSpan.Zero)
            {
                problems.Add($"{key}:StaleAfter: must be positive");
            }

            if (f.RequestTimeout <= TimeSpan.Zero)
            {
                problems.Add($"{key}:RequestTimeout: must be positive");
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

        var r = options.Reconciliation;
        foreach (var (name, cron) in new[] { ("Schedule", r.Schedule), ("EndOfDay", r.EndOfDay), ("RetentionSchedule", r.RetentionSchedule) })
        {
            if (string.IsNullOrWhiteSpace(cron) || !CronExpression.TryParse(cron, out _))
            {
                problems.Add($"Reconciliation:{name}: '{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week)");
            }
        }

        if (r.MinimumCoverageBps is < 0 or > 1_000_000)
        {
            problems.Add("Reconciliation:MinimumCoverageBps: must be between 0 and 1000000");
        }

        if (r.LiquidityShareBps is < 0 or > 1_000_000)
        {
            problems.Add("Reconciliation:LiquidityShareBps: must be between 0 and 1000000");
        }

        if (r.MaxConcentrationBps is < 1 or > 10_000)
        {
            problems.Add("Reconciliation:MaxConcentrationBps: must be between 1 and 10000");
        }

        if (r.LiquidityDays < 0)
        {
            problems.Add("Reconciliation:LiquidityDays: must not be negative");
        }

        if (r.RetainRejections <= TimeSpan.Zero)
        {
            problems.Add("Reconciliation:RetainRejections: must be positive");
        }

        if (r.RetainReports is { } retain && retain <= TimeSpan.Zero)
        {
            problems.Add("Reconciliation:RetainReports: must be positive when set");
        }

        problems.AddRange(r.Redemptions.Validate("Reconciliation:Redemptions"));
        problems.AddRange(r.BusinessCalendar.Validate("Reconciliation:BusinessCalendar"));

        ValidateExcludedHolders(options, problems);
    }

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
                    NetworkKind.Evm => AddressPattern().IsMatch(holder.Address),
                    NetworkKind.Solana => Base58AddressPattern().IsMatch(holder.Address),
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

                if (string.IsNullOrWhiteSpace(holder.Label))
                {
                    problems.Add($"{key}:ExcludedHolders:{h}:Label: required (treasury, unissued, bridge escrow …)");
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
