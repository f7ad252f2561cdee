using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Checks a bound configuration; each problem is one line that starts with the key it concerns. Scalar rules are
/// attributes on the options types (<see cref="OptionsAttributeWalker"/>); this class holds only what one value
/// cannot say alone: rules that depend on the verb, on a network's or feed's Kind, or on other options.
/// </summary>
public static partial class OptionsValidator
{
    /// <summary>
    /// Every problem of <paramref name="options"/> for <paramref name="use"/>: the checks every verb shares, plus what
    /// that verb alone needs. The only validation there is — the verbs and `check-config` all come through here.
    /// </summary>
    /// <param name="hiddenKeys">Keys whose values came from secret files; messages leave their values out.</param>
    public static IReadOnlyList<string> Validate(ReconcilerOptions options, ConfigurationUse use = ConfigurationUse.Index, IReadOnlySet<string>? hiddenKeys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = OptionsAttributeWalker.Validate(options, hiddenKeys).ToList();
        if (use is ConfigurationUse.Reconcile or ConfigurationUse.Run && options.Reserves.Feeds.Count == 0)
        {
            problems.Add("Reserves:Feeds: at least one reserve feed is required by `run` and `reconcile` (reconciling against nothing proves nothing); `index`, `supply`, `report` and `db` work without one");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Networks.Count; i++)
        {
            var n = options.Networks[i];
            var key = $"Networks:{i}";
            if (n.Name.Length > 0 && !seen.Add(n.Name))
            {
                problems.Add($"{key}:Name: '{n.Name}' is used by another network");
            }

            switch (n.Kind)
            {
                case NetworkKind.Evm:
                    ValidateEvm(n, key, problems);
                    break;
                case NetworkKind.Solana:
                    ValidateSolana(n, key, problems);
                    break;
            }

            ValidateGovernance(n, key, problems);
        }

        ValidateExcludedHolders(options, problems);
        ValidateFeeds(options, problems);
        ValidateStorage(options.Storage, problems);
        return problems;
    }

    // Which identity keys a network needs depends on its Kind; their format is checked by their attributes.
    private static void ValidateEvm(NetworkOptions n, string key, List<string> problems)
    {
        if (n.ChainId is null)
        {
            problems.Add($"{key}:ChainId: required for an Evm network, a positive integer");
        }

        if (n.Token is null)
        {
            problems.Add($"{key}:Token: required for an Evm network, 0x followed by 40 hex digits");
        }

        if (n.Mint is not null)
        {
            problems.Add($"{key}:Mint: applies to Solana networks only; an Evm network names its Token");
        }
    }

    private static void ValidateSolana(NetworkOptions n, string key, List<string> problems)
    {
        if (n.Mint is null)
        {
            problems.Add($"{key}:Mint: required for a Solana network, a base58 address");
        }

        if (n.Token is not null || n.ChainId is not null)
        {
            problems.Add($"{key}: Token and ChainId apply to Evm networks only; a Solana network names its Mint");
        }
    }
}
