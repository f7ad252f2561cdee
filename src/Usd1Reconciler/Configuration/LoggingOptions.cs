namespace Usd1Reconciler.Configuration;

public sealed class LoggingOptions
{
    /// <summary><value>Default <c>Information</c>.</value> Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string Level { get; set; } = "Information";

    /// <summary><value>Default false.</value> Compact JSON lines (journald/Loki friendly) instead of plain text. Logs go to stderr either way.</summary>
    public bool Json { get; set; }
}
