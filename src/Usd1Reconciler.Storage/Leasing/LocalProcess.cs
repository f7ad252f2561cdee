using System.Globalization;

namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// This process's identity for the lease, and whether a process on this host is still the one that took a lease.
/// A pid alone is not enough: after the holder died the kernel may give its pid to an unrelated process, so the
/// recorded identity also carries the start time. And a pid means something only in its pid namespace since its
/// boot: two containers sharing the store's volume may both be called after the same host name, and a reboot
/// restarts the numbering — so the identity is "&lt;boot id&gt;:&lt;pid namespace&gt;/&lt;start time&gt;", and a lease
/// recorded under another boot or namespace cannot be judged by /proc (the heartbeat decides).
/// </summary>
internal static class LocalProcess
{
    public static long Pid => Environment.ProcessId;

    public static string Host => Environment.MachineName;

    /// <summary>Boot id and pid namespace of this process, e.g. "0b6f…:pid:[4026531836]"; null without /proc.</summary>
    public static string? Namespace { get; } = ReadNamespace();

    /// <summary>"&lt;namespace&gt;/&lt;start ticks&gt;" of <paramref name="pid"/> as this process sees it; null without /proc or without the process.</summary>
    public static string? Identity(long pid) =>
        Namespace is { } ns && StartTime(pid) is { } start ? $"{ns}/{start}" : null;

    /// <summary>
    /// Whether the process recorded as (<paramref name="pid"/>, <paramref name="identity"/>) still runs; null when
    /// this process cannot tell (no /proc, or the lease was recorded under another boot or pid namespace).
    /// </summary>
    public static bool? IsAlive(long pid, string? identity)
    {
        if (Namespace is not { } ns)
        {
            return null;
        }

        if (identity is null)
        {
            return StartTime(pid) is not null;
        }

        var slash = identity.LastIndexOf('/');
        if (slash < 0 || !string.Equals(identity[..slash], ns, StringComparison.Ordinal))
        {
            return null;
        }

        return string.Equals(StartTime(pid), identity[(slash + 1)..], StringComparison.Ordinal);
    }

    /// <summary>Start time of <paramref name="pid"/> in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22); null without /proc or without a running process.</summary>
    private static string? StartTime(long pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may itself contain spaces and ')': fields after the last
        // ')' are space-separated, starting with field 3 (state); field 22 is the 20th of them.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // A zombie (Z) or dead (X) process has exited; it only waits to be reaped and writes nothing any more.
        if (fields.Length <= 19 || fields[0] is "Z" or "X")
        {
            return null;
        }

        return fields[19];
    }

    private static string? ReadNamespace()
    {
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return boot.Length == 0 || pidNamespace is null ? null : $"{boot}:{pidNamespace}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
