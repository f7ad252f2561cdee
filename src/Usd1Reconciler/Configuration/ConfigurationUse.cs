namespace Usd1Reconciler.Configuration;

/// <summary>
/// The verb a configuration is loaded for. Verbs legitimately need different parts of one file (reconciling needs
/// a reserve feed, indexing does not), so <see cref="ConfigLoader.Load(string, ConfigurationUse)"/> validates exactly
/// what the verb needs — and `check-config --for` asks the same question, through the same code, that the verb will.
/// </summary>
public enum ConfigurationUse
{
    /// <summary>`index`, `supply`, `report`, `db`: the store and the networks.</summary>
    Index,

    /// <summary>`reconcile --once`: what `index` needs, and at least one reserve feed.</summary>
    Reconcile,

    /// <summary>`run`, the daemon: what `reconcile` needs (and its schedules, validated for every use). `check-config`'s default.</summary>
    Run,
}
