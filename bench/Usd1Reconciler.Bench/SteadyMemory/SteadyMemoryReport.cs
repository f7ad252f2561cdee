using System.Globalization;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>
/// The steady-memory figures as printed at the end of a run: RSS after the warm-up, median and maximum over the steady
/// part (the maximum decides the target), the first and last minute, the daemon's own totals, and whether it kept up.
/// </summary>
internal static class SteadyMemoryReport
{
    /// <summary>Megabytes as the other verbs print them (2^20 bytes).</summary>
    public const double Megabyte = 1048576.0;

    private const double TargetMegabytes = 150;

    /// <summary>Prints the figures; returns 0 when the store holds exactly the events sent, 1 otherwise.</summary>
    /// <param name="samples">Every RSS sample of the run; those from <paramref name="warmUp"/> to <paramref name="trafficEnd"/> are the steady part.</param>
    /// <param name="final">The daemon's /proc status at the end.</param>
    public static int Print(
        IReadOnlyDictionary<string, string> childEnvironment,
        IReadOnlyList<RssSample> samples,
        TimeSpan warmUp,
        TimeSpan trafficEnd,
        IReadOnlyDictionary<string, long> final,
        IReadOnlyList<TrafficLoop> traffic,
        List<(string Name, long Events, long Final)> stored,
        (long Reports, string? LastVerdict, long Snapshots) reconciliations,
        Scraper scraper)
    {
        var (reports, verdict, snapshots) = reconciliations;
        var steadySamples = samples.Where(s => s.At >= warmUp && s.At <= trafficEnd).ToList();
        if (steadySamples.Count == 0)
        {
            throw new InvalidOperationException("no RSS sample in the steady part");
        }

        var rss = steadySamples.Select(s => s.Rss / Megabyte).ToList();
        var window = Min(TimeSpan.FromMinutes(1), (trafficEnd - warmUp) / 2);
        var first = steadySamples.Where(s => s.At < warmUp + window).Select(s => s.Rss / Megabyte).ToList();
        var last = steadySamples.Where(s => s.At > trafficEnd - window).Select(s => s.Rss / Megabyte).ToList();
        var max = rss.Max();
        var met = max <= TargetMegabytes;

        static void Row(string label, FormattableString value) => Console.WriteLine(BenchEnvironment.Invariant($"  {label,-34}{BenchEnvironment.Invariant(value)}"));
        string Mb(string field) => (final.GetValueOrDefault(field) / Megabyte).ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine(BenchEnvironment.Invariant($"Steady memory: usd1rec run following 3 networks, a mint or burn on each every {TrafficLoop.TrafficPeriod.TotalSeconds:0.0} s, one at a time per network"));
        Row("child environment", $"{(childEnvironment.Count == 0 ? "(none: runtime defaults)" : string.Join(' ', childEnvironment.Select(p => $"{p.Key}={p.Value}")))}");
        Row(BenchEnvironment.Invariant($"RSS after warm-up (t={steadySamples[0].At.TotalSeconds:0} s)"), $"{steadySamples[0].Rss / Megabyte:0.0} MB");
        Row(BenchEnvironment.Invariant($"RSS steady (t={warmUp.TotalSeconds:0}-{trafficEnd.TotalSeconds:0} s)"), $"median {BenchEnvironment.Median(rss):0.0} MB, max {max:0.0} MB ({rss.Count} samples, one a second)");
        Row(BenchEnvironment.Invariant($"RSS median, first/last {window.TotalSeconds:0} s"), $"{BenchEnvironment.Median(first):0.0} MB -> {BenchEnvironment.Median(last):0.0} MB");
        Row("VmHWM at the end", $"{Mb("VmHWM")} MB (peak since start, warm-up included)");
        Row("VmRSS at the end", $"{Mb("VmRSS")} MB = RssAnon {Mb("RssAnon")} + RssFile {Mb("RssFile")} + RssShmem {Mb("RssShmem")} MB");
        foreach (var t in traffic)
        {
            var s = stored.FirstOrDefault(x => x.Name == t.Name);
            Row(BenchEnvironment.Invariant($"events stored, {t.Name}"), $"{s.Events} ({s.Final} final) of {t.Sent} sent{(t.Failed > 0 ? $"; {t.Failed} sends failed, last: {t.LastError}" : string.Empty)}");
        }

        Row("reconciliations stored", $"{reports} (last verdict {verdict ?? "none"}); reserve snapshots {snapshots}");
        Row("/metrics and status page", $"{scraper.Ok} fetches ok, {scraper.Failed} failed; /readyz ok {(scraper.ReadyAt is { } ready ? BenchEnvironment.Invariant($"{ready.TotalSeconds:0.0} s") : "never")} after start");
        Row(BenchEnvironment.Invariant($"target <= {TargetMegabytes:0} MB steady"), $"{(met ? "met" : "missed")} (max RSS over the steady part: {max:0.0} MB)");
        var complete = traffic.All(t => stored.Any(s => s.Name == t.Name && s.Events == t.Sent));
        if (!complete)
        {
            Console.WriteLine("  the store does not hold exactly the events sent: the figures are not of a daemon keeping up");
        }

        return complete ? 0 : 1;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
