using System.Text.RegularExpressions;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Configuration;

/// <summary>Checks a bound configuration; each problem is one line that starts with the key it concerns.</summary>
public static partial class OptionsValidator
{
    /// <summary>
    /// Every problem of <paramref name="options"/> for <paramref name="use"/>: the checks every verb shares, plus what
    /// that verb alone needs. The only validation there is — the verbs and `check-config` all come through here.
    /// </summary>
    public static IReadOnlyList<string> Validate(ReconcilerOptions options, ConfigurationUse use = ConfigurationUse.Index)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (use is ConfigurationUse.Reconcile or ConfigurationUse.Run && options.Reserves.Feeds.Count == 0)
        {
            problems.Add("Reserves:Feeds: at least one reserve feed is required by `run` and `reconcile` (reconciling against nothing proves nothing); `index`, `supply`, `report` and `db` work without one");
        }

        if (string.IsNullOrWhiteSpace(options.Storage.Path))
        {
            problems.Add("Storage:Path: must not be empty");
        }

        if (options.Storage.IntegrityCheckInterval < TimeSpan.FromMinutes(1))
        {
            problems.Add("Storage:IntegrityCheckInterval: must be at least 00:01:00 (the check reads the whole store)");
        }

        if (options.Networks.Count == 0)
        {
            problems.Add("Networks: at least one network is required");
        }

        for (var i = 0; i < options.Alerting.AlertmanagerUrls.Count; i++)
        {
            if (!Uri.TryCreate(options.Alerting.AlertmanagerUrls[i], UriKind.Absolute, out var am) || (am.Scheme != Uri.UriSchemeHttp && am.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"Alerting:AlertmanagerUrls:{i}: not an absolute http(s) URL");
            }
        }

        if (options.Alerting.Cooldown < TimeSpan.Zero || options.Alerting.ResolveAfter <= TimeSpan.Zero || options.Alerting.Lookback <= TimeSpan.Zero)
        {
            problems.Add("Alerting: Cooldown must not be negative; ResolveAfter and Lookback must be positive");
        }

        if (!string.IsNullOrEmpty(options.Http.Listen))
        {
            try
            {
                Web.ObservabilityServer.ParseListen(options.Http.Listen);
            }
            catch (FormatException ex)
            {
                problems.Add($"Http:Listen: {ex.Message}");
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Networks.Count; i++)
        {
            var n = options.Networks[i];
            var key = $"Networks:{i}";
            if (!NamePattern().IsMatch(n.Name))
            {
                problems.Add($"{key}:Name: '{n.Name}' must be 1-64 letters, digits, '-' or '_'");
            }
            else if (!seen.Add(n.Name))
            {
                problems.Add($"{key}:Name: '{n.Name}' is used by another network");
            }

            if (n.RpcUrls.Count == 0)
            {
                problems.Add($"{key}:RpcUrls: at least one RPC URL is required");
            }

            for (var u = 0; u < n.RpcUrls.Count; u++)
            {
                if (!Uri.TryCreate(n.RpcUrls[u], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    problems.Add($"{key}:RpcUrls:{u}: not an absolute http(s) URL");
                }
            }

            if (n.RequestTimeout <= TimeSpan.Zero)
            {
                problems.Add($"{key}:RequestTimeout: must be positive");
            }

            if (n.PollInterval <= TimeSpan.Zero)
            {
                problems.Add($"{key}:PollInterval: must be positive");
            }

            if (n.MaxRequestsPerSecond is < 1 or > 100_000)
            {
                problems.Add($"{key}:MaxRequestsPerSecond: must be between 1 and 100000 (or left out for no budget)");
            }

            if (n.MaxHeadLag is < 0)
            {
                problems.Add($"{key}:MaxHeadLag: must not be negative");
            }

            if (n.StaleAfter <= TimeSpan.Zero)
            {
                problems.Add($"{key}:StaleAfter: must be positive");
            }

            if (n.Anomalies is { } anomalies)
            {
                problems.AddRange(Alerting.AnomalyPolicyFactory.Validate(anomalies, $"{key}:Anomalies"));
            }

            switch (n.Kind)
            {
                case null:
                    problems.Add($"{key}:Kind: required, one of {string.Join(", ", Enum.GetNames<NetworkKind>())}");
                    break;
                case NetworkKind.Evm:
                    ValidateEvm(n, key, problems);
                    break;
                case NetworkKind.Solana:
                    ValidateSolana(n, key, problems);
                    break;
                default:
                    problems.Add($"{key}:Kind: '{n.Kind}' is not a supported network kind");
                    break;
            }
        }

        ValidateReconciliation(options, problems);
        return problems;
    }

    private static void ValidateEvm(NetworkOptions n, string key, List<string> problems)
    {
        if (n.ChainId is not > 0)
        {
            problems.Add($"{key}:ChainId: required for an Evm network, a positive integer");
        }

        if (n.Token is null || !AddressPattern().IsMatch(n.Token))
        {
            problems.Add($"{key}:Token: required for an Evm network, 0x followed by 40 hex digits");
        }

        if (n.StartBlock < 0)
        {
            problems.Add($"{key}:StartBlock: must not be negative");
        }

        if (n.Confirmations is < 0)
        {
            problems.Add($"{key}:Confirmations: must not be negative");
        }

        if (n.MaxBlockRange is < 1 or > 1_000_000)
        {
            problems.Add($"{key}:MaxBlockRange: must be between 1 and 1000000");
        }

        if (n.Mint is not null)
        {
            problems.Add($"{key}:Mint: applies to Solana networks only; an Evm network names its Token");
        }
    }

    private static void ValidateSolana(NetworkOptions n, string key, List<string> problems)
    {
        if (n.Mint is null || !Base58AddressPattern().IsMatch(n.Mint))
        {
            problems.Add($"{key}:Mint: required for a Solana network, a base58 address");
        }

        if (n.Commitment is not ("confirmed" or "finalized"))
        {
            problems.Add($"{key}:Commitment: '{n.Commitment}' must be 'confirmed' or 'finalized' ('processed' can still be rolled back by any fork)");
        }

        if (n.Token is not null || n.ChainId is not null)
        {
            problems.Add($"{key}: Token and ChainId apply to Evm networks only; a Solana network names its Mint");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{32,44}$")]
    private static partial Regex Base58AddressPattern();
}
