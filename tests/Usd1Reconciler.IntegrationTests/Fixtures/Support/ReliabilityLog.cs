namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// One line per fault a test injected and what the daemon did about it, written to the test output and appended to
/// $TMPDIR/usd1rec-reliability.log; docs/reliability.md is compiled from that file.
/// </summary>
internal static class ReliabilityLog
{
    private static readonly Lock Gate = new();

    public static string FilePath { get; } = Path.Combine(Path.GetTempPath(), "usd1rec-reliability.log");

    public static void Record(string area, string fault, string outcome)
    {
        var line = $"{area} | {fault} | {outcome}";
        TestContext.Out.WriteLine("RELIABILITY " + line);
        lock (Gate)
        {
            File.AppendAllText(FilePath, line + Environment.NewLine);
        }
    }
}
