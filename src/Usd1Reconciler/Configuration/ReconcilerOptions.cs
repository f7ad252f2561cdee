using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>The whole configuration file (appsettings-style JSON; every key overridable as USD1REC__Section__Key).</summary>
public sealed class ReconcilerOptions
{
    public StorageOptions Storage { get; set; } = new();

    /// <summary>This instance's name and its network writer lease (issue 14). <value>Default: host name and pid, 8 s.</value></summary>
    public InstanceOptions Instance { get; set; } = new();

    /// <summary>The networks to follow; at least one.</summary>
    [MinLength(1, ErrorMessage = "at least one network is required")]
    public List<NetworkOptions> Networks { get; set; } = [];

    public LoggingOptions Logging { get; set; } = new();

    /// <summary>Alertmanager push of discrete anomalies. <value>Default: anomalies stored, not pushed.</value></summary>
    public AlertingOptions Alerting { get; set; } = new();

    /// <summary>Reserve feeds. <value>Default: none (reconcile and run then refuse to start).</value></summary>
    public ReservesOptions Reserves { get; set; } = new();

    /// <summary>Reconciliation rules and schedules.</summary>
    public ReconciliationOptions Reconciliation { get; set; } = new();

    /// <summary>HTTP endpoints of `usd1rec run` (metrics, health, status page).</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>The public transparency report (issue 17).</summary>
    public PublishOptions Publish { get; set; } = new();

    /// <summary>
    /// <value>Default <c>USD1</c>.</value> The symbol every token figure for people is labelled with ("50,000,000 USD1"):
    /// one name on every network, as a treasury desk knows the token (an SPL mint has no symbol of its own, a bridged
    /// representation may carry another). Decimals are never configured: they are read from the chain and stored.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,16}$", ErrorMessage = "must be 1-16 letters, digits, '.', '_' or '-'")]
    public string TokenSymbol { get; set; } = "USD1";
}
