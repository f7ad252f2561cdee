namespace Usd1Reconciler.Web;

/// <summary>
/// What the status page takes from the configuration. <see cref="Networks"/> is in configuration order: the page lists
/// networks in that order (a stable order the desk learns), networks the store knows from an earlier configuration after them.
/// </summary>
/// <param name="TokenSymbol">The configured symbol every token figure is labelled with.</param>
internal sealed record StatusPageSettings(IReadOnlyList<StatusPageNetwork> Networks, string RunbookBaseUrl, string TokenSymbol)
{
    /// <summary>The budget of a network the configuration no longer names: the default of Networks:N:StaleAfter.</summary>
    public static readonly TimeSpan DefaultStaleAfter = new Configuration.NetworkOptions().StaleAfter;
}
