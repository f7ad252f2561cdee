namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>What <see cref="PrometheusServer.StartAsync"/> configures.</summary>
internal sealed record PrometheusServerOptions
{
    /// <summary>Full scrape URLs (<c>http://127.0.0.1:PORT/metrics</c>), all in one job.</summary>
    public IReadOnlyList<Uri> Targets { get; init; } = [];

    /// <summary>Job name of the targets; the rules' <c>up{job="usd1rec"}</c> expect the default.</summary>
    public string JobName { get; init; } = "usd1rec";

    /// <summary>Rule files, copied into the server's folder (with <see cref="RuleForOverride"/> applied).</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];

    /// <summary>
    /// When set, every rule's <c>for:</c> is replaced by this duration in the copies, so production rules (minutes)
    /// can fire within a test's seconds. Rules without <c>for:</c> stay immediate.
    /// </summary>
    public TimeSpan? RuleForOverride { get; init; }

    /// <summary>Alertmanager base URL (<c>http://127.0.0.1:PORT/</c>) to send alerts to; none when null.</summary>
    public Uri? Alertmanager { get; init; }

    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(1);
}
