namespace Usd1Reconciler.Configuration;

/// <summary>A host:port to listen on (see <see cref="ListenEndpoint"/>); empty means "do not listen".</summary>
public sealed class ListenAddressAttribute : OptionRuleAttribute
{
    /// <summary>The parser's message quotes the part it cannot read.</summary>
    public override bool ShowsValue => false;

    public override string? Problem(object value) =>
        value is not string listen || listen.Length == 0 || ListenEndpoint.TryParse(listen, out _, out var error) ? null : error;
}
