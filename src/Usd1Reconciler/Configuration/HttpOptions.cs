namespace Usd1Reconciler.Configuration;

/// <summary>The daemon's HTTP endpoints: /metrics, /healthz, /readyz and the status page.</summary>
public sealed class HttpOptions
{
    /// <summary>
    /// <value>Default <c>127.0.0.1:9464</c>.</value> host:port to listen on. Loopback unless configured otherwise: the
    /// status page and metrics reveal treasury figures, so exposing them is an operator's decision (the container image
    /// sets 0.0.0.0 because its network namespace is the boundary). Empty string disables the endpoints.
    /// </summary>
    [ListenAddress]
    public string Listen { get; set; } = "127.0.0.1:9464";
}
