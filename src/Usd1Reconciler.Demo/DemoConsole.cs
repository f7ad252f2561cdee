namespace Usd1Reconciler.Demo;

/// <summary>
/// The demo's terminal output. On a terminal the summary is redrawn in place and events are kept in a short list
/// inside it; when stdout is a file or a pipe (CI, tests) every event is one plain line and the summary is printed as a
/// plain block now and then, so the output reads as a log.
/// </summary>
internal sealed class DemoConsole(TextWriter output, bool isTerminal, TimeProvider time)
{
    private const int KeptEvents = 8;

    private readonly Queue<string> _events = new();
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public bool IsTerminal { get; } = isTerminal;

    public TimeSpan Elapsed => time.GetUtcNow() - _started;

    /// <summary>Something that happened, stamped with the time since the demo started.</summary>
    public void Event(string line)
    {
        var stamped = $"[{Elapsed.TotalSeconds,6:0.0}s] {line}";
        lock (_events)
        {
            _events.Enqueue(stamped);
            while (_events.Count > KeptEvents)
            {
                _events.Dequeue();
            }

            if (!IsTerminal)
            {
                output.WriteLine(stamped);
                output.Flush();
            }
        }
    }

    /// <summary>Before the daemon runs (setup) every event is printed as it happens, terminal or not.</summary>
    public void Progress(string line)
    {
        lock (_events)
        {
            output.WriteLine($"[{Elapsed.TotalSeconds,6:0.0}s] {line}");
            output.Flush();
        }
    }

    public void Frame(string summary)
    {
        lock (_events)
        {
            if (IsTerminal)
            {
                // Cursor home, clear screen: a redraw in place rather than a scrolling log.
                output.Write("\u001b[H\u001b[2J");
                output.Write(summary);
                output.WriteLine("recent events:");
                foreach (var line in _events)
                {
                    output.WriteLine("  " + line);
                }
            }
            else
            {
                output.Write(summary);
            }

            output.Flush();
        }
    }

    public void Line(string line)
    {
        lock (_events)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
