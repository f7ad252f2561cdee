using System.Globalization;

namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// This process's identity for the lease, and whether a process on this host is still the one that took a lease.
/// A pid alone is not enough: after the holder died the kernel may give its pid to an unrelated process, so the
/// start time recorded with the lease must match too.
/// </summary>
internal static class LocalProcess
{
    public static long Pid => Environment.ProcessId;

    public static string Host => Environment.MachineName;

    /// <summary>Start time of <paramref name="pid"/> in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22); null without /proc or without the process.</summary>
    public static string? StartTime(long pid)
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

    /// <summary>True when /proc describes this host's processes, so liveness can be checked rather than guessed from a heartbeat.</summary>
    public static bool CanInspect => Directory.Exists("/proc/self");

    /// <summary>Whether the process recorded as (<paramref name="pid"/>, <paramref name="startTime"/>) still runs on this host.</summary>
    public static bool IsAlive(long pid, string? startTime)
    {
        var current = StartTime(pid);
        if (current is null)
        {
            return false;
        }

        return startTime is null || string.Equals(current, startTime, StringComparison.Ordinal);
    }
}
