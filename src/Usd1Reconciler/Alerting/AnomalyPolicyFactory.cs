using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Alerting;

/// <summary>Turns validated <see cref="AnomalyOptions"/> into the pure rules' policy.</summary>
internal static class AnomalyPolicyFactory
{
    public static AnomalyPolicy Create(AnomalyOptions? options)
    {
        if (options is null)
        {
            return AnomalyPolicy.Off;
        }

        return new AnomalyPolicy(
            Parse(options.MaxMint),
            Parse(options.MaxBurn),
            Parse(options.MaxNetMint),
            options.Window,
            options.AllowedMinters.Count == 0 ? null : options.AllowedMinters.ToHashSet(StringComparer.OrdinalIgnoreCase),
            options.MinterQuotas.ToDictionary(q => q.Key, q => TokenAmount.ParseDecimal(q.Value), StringComparer.OrdinalIgnoreCase),
            options.DeepReorgDepth,
            options.Status);
    }

    private static TokenAmount? Parse(string? value) => value is null ? null : TokenAmount.ParseDecimal(value);

    /// <summary>One line per problem, each naming its key under <paramref name="key"/>.</summary>
    public static IEnumerable<string> Validate(AnomalyOptions options, string key)
    {
        foreach (var (name, value) in new[] { ("MaxMint", options.MaxMint), ("MaxBurn", options.MaxBurn), ("MaxNetMint", options.MaxNetMint) })
        {
            if (value is not null && !TokenAmount.TryParseDecimal(value, out _, out var error))
            {
                yield return $"{key}:{name}: {error} (amounts are strings of base units)";
            }
        }

        foreach (var (minter, quota) in options.MinterQuotas)
        {
            if (!TokenAmount.TryParseDecimal(quota, out _, out var error))
            {
                yield return $"{key}:MinterQuotas:{minter}: {error} (amounts are strings of base units)";
            }
        }

        if (options.Window <= TimeSpan.Zero)
        {
            yield return $"{key}:Window: must be positive";
        }

        if (options.DeepReorgDepth < 1)
        {
            yield return $"{key}:DeepReorgDepth: must be at least 1";
        }

        if (options.ExplorerTxUrl is { } explorer && !explorer.Contains("{tx}", StringComparison.Ordinal))
        {
            yield return $"{key}:ExplorerTxUrl: must contain {{tx}} where the transaction id goes";
        }
    }
}
