namespace Usd1Reconciler.JsonRpc;

/// <summary>One node URL and the label it goes by in messages, logs and metrics.</summary>
public sealed record RpcEndpoint(Uri Url)
{
    /// <summary>scheme://host:port — never the path or query, where providers put API keys.</summary>
    public string Label { get; } = $"{Url.Scheme}://{Url.Host}:{Url.Port}";

    public override string ToString() => Label;
}
