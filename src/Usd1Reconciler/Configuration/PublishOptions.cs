namespace Usd1Reconciler.Configuration;

/// <summary>The public transparency report (`usd1rec report publish`, issue 17), under <c>Publish</c>.</summary>
public sealed class PublishOptions
{
    /// <summary><value>Default false.</value> When true custodian and bank names are shown as "custodian 1", "bank 1" …; the canonical report (which names them) is then withheld and only its hash is published.</summary>
    public bool RedactNames { get; set; }

    /// <summary><value>Default 30.</value> Newest verdicts listed in the verdict history.</summary>
    public int HistoryLength { get; set; } = 30;
}
