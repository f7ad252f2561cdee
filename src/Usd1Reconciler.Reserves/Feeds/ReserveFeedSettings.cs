namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>One configured reserve feed.</summary>
/// <param name="Url">HTTP(S) location; exactly one of Url and Path is set.</param>
/// <param name="Path">Local file (a drop folder the bank export lands in).</param>
/// <param name="Custodian">Custodian name for proof-of-reserve feeds, whose documents do not name one.</param>
/// <param name="MaxClockSkew">How far in the future an as-of time may lie before it is refused.</param>
public sealed record ReserveFeedSettings(
    string Name,
    ReserveFeedFormat Format,
    Uri? Url,
    string? Path,
    FeedAuthSettings Auth,
    TimeSpan RequestTimeout,
    TimeSpan MaxClockSkew,
    string? Custodian);
