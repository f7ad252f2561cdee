namespace Usd1Reconciler.Configuration;

/// <summary>Where and how discrete anomalies are paged (Alertmanager v2 API).</summary>
public sealed class AlertingOptions
{
    /// <summary>Alertmanager base URLs (e.g. http://127.0.0.1:9093); every alert goes to each. <value>Default: none — anomalies are stored, not pushed.</value></summary>
    [HttpUrl]
    public List<string> AlertmanagerUrls { get; set; } = [];

    /// <summary><value>Default 2 s.</value> How often new events are screened and queued pages delivered.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><value>Default 10 min.</value> A repeat of the same incident (rule, network, actor) within this time is stored but not paged again.</summary>
    [DurationRange("00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><value>Default 15 min.</value> A discrete anomaly's alert resolves itself this long after it was pushed.</summary>
    [PositiveDuration]
    public TimeSpan ResolveAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><value>Default 24 h.</value> Anomalies whose evidence is older (backfilled history) are stored, never paged.</summary>
    [PositiveDuration]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(24);

    /// <summary><value>Default: the project's docs/runbooks on GitHub.</value> Base URL of the runbook pages; the alert name and ".md" are appended.</summary>
    public string RunbookBaseUrl { get; set; } = "https://github.com/usd1reconciler/usd1reconciler/blob/main/docs/runbooks/";
}
