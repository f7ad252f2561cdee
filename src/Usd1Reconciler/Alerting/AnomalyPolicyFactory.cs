using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Alerting;

/// <summary>Turns <see cref="AnomalyOptions"/>, validated by their attributes at load, into the pure rules' policy.</summary>
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
}
