using System.Globalization;

namespace Usd1Reconciler.Storage.Leasing;

/// <summary>Who holds (or held) a store's writer lease.</summary>
/// <param name="ProcessStart">
/// The holder's boot id, pid namespace and start time as the kernel counts it (/proc/&lt;pid&gt;/stat field 22), so
/// that a pid reused by another process after the holder died is not mistaken for the holder; null without /proc.
/// </param>
/// <param name="Verb">The usd1rec verb writing, e.g. "run", "index", "db migrate".</param>
/// <param name="Heartbeat">When the holder last renewed the lease.</param>
public sealed record WriterLeaseHolder(long Pid, string? ProcessStart, string Host, string Verb, DateTimeOffset Since, DateTimeOffset Heartbeat)
{
    /// <summary>"`usd1rec run` (pid 1234 on host-a) since 2026-12-01T10:00:00Z" — the holder as an operator reads it.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"`usd1rec {Verb}` (pid {Pid} on {Host}) since {Since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
}
