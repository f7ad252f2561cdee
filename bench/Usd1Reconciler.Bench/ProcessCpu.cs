using System.Globalization;

namespace Usd1Reconciler.Bench;

/// <summary>CPU time (user + system) a live process has used so far, from /proc/&lt;pid&gt;/stat.</summary>
internal static class ProcessCpu
{
    // utime and stime are in clock ticks of USER_HZ, which Linux fixes at 100 per second for user space.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Used(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces; the fields after it are space-separated,
            // starting with the state (field 3), so utime (field 14) and stime (field 15) are at 11 and 12.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
