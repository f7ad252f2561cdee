namespace Usd1Reconciler.Configuration;

/// <summary>An absolute http(s) URL; on a list, each element. Empty counts as absent (a Kind-dependent rule in code decides whether it is needed).</summary>
public sealed class HttpUrlAttribute : OptionRuleAttribute
{
    /// <summary>RPC and feed URLs embed API keys; only scheme, host and port ever appear in messages.</summary>
    public override bool ShowsValue => false;

    public override string? Problem(object value) =>
        value is not string text || string.IsNullOrWhiteSpace(text) || IsHttpUrl(text) ? null : "not an absolute http(s) URL";

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
