using System.Net;

namespace Usd1Reconciler.Web;

/// <summary>
/// The status page's HTML pieces. Every text is encoded on the way in. A cell names its column in data-label, so that
/// on a phone (the page's narrow layout) each row reads as "label: value" lines instead of a table wider than the screen.
/// A figure carries data-figure with a stable name: the browser test reads every figure by it and compares it with the store.
/// </summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A table cell; <paramref name="content"/> is already HTML.</summary>
    public static string Cell(string label, string content, string? cssClass = null, string? figure = null) =>
        $"<td data-label=\"{E(label)}\"{(cssClass is null ? "" : $" class=\"{cssClass}\"")}{(figure is null ? "" : $" data-figure=\"{E(figure)}\"")}>{content}</td>";

    /// <summary>A figure in running text.</summary>
    public static string Figure(string figure, string text, string? cssClass = null) =>
        $"<span class=\"fig{(cssClass is null ? "" : " " + cssClass)}\" data-figure=\"{E(figure)}\">{E(text)}</span>";

    public static string Header(params string[] labels) =>
        "<thead><tr>" + string.Concat(labels.Select(l => $"<th>{E(l)}</th>")) + "</tr></thead>";

    /// <summary>
    /// "31 s ago": the age of a time read from the store against the page's clock. A time a moment after the page's
    /// clock was read (the store moved on while the page rendered) is "0 s", not a negative age.
    /// </summary>
    public static string Age(DateTimeOffset now, DateTimeOffset at) => Core.Presentation.DurationText.Format(at > now ? TimeSpan.Zero : now - at) + " ago";

    /// <summary>A transaction id or address shortened to its ends for a narrow column (the whole id goes in a title).</summary>
    public static string ShortId(string id) => id.Length > 18 ? string.Concat(id.AsSpan(0, 10), "…", id.AsSpan(id.Length - 6)) : id;

    /// <summary>The red badge a figure gets when it is not current: colour and the word, never colour alone.</summary>
    public const string StaleBadge = "<span class=\"stale-badge\">STALE</span>";
}
