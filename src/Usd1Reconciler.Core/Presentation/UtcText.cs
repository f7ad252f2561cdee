using System.Globalization;

namespace Usd1Reconciler.Core.Presentation;

/// <summary>
/// Times for people: UTC to the second, named as UTC ("2026-12-01 08:09:42 UTC"), the fraction of a second cut off
/// (never rounded up into a second that had not begun). Reports keep their seven-digit ISO-8601 times; this is display only.
/// </summary>
public static class UtcText
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Format(DateTimeOffset? time) => time is { } t ? Format(t) : UsdText.NoFigure;
}
