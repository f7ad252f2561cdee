using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Cli;

/// <summary>What a verb needs from <see cref="CommandContext.OpenAsync"/>.</summary>
/// <param name="ConfigPath">The --config file.</param>
internal sealed record CommandRequest(string ConfigPath)
{
    /// <summary>Which verb loads the file; validation adds what only that verb needs (a reserve feed for reconcile/run).</summary>
    public ConfigurationUse Use { get; init; } = ConfigurationUse.Index;

    /// <summary>
    /// A writer verb's name (`index`, `reconcile`, `run`, `db migrate`): the writer lease is taken before the store is
    /// opened — opening migrates — so a refused writer changes nothing. Null for read-only verbs.
    /// </summary>
    public string? WriterVerb { get; init; }

    /// <summary>False for the verbs that work on the file itself (`db …`): the context then opens no store.</summary>
    public bool OpensStore { get; init; } = true;

    /// <summary>
    /// For read-only verbs that must not create an empty store: the verb that creates one, named in the refusal
    /// ("no store at …; run `usd1rec index --config … --once` first"). Null: a missing store is created.
    /// </summary>
    public string? CreatedBy { get; init; }
}
