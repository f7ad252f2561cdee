namespace Usd1Reconciler.Cli;

/// <summary>Where a command writes: stdout for its output, stderr for diagnostics. Tests pass string writers.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error)
    {
        ErrorIsTerminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb",
        OutputSharesTerminal = !Console.IsOutputRedirected,
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Diagnostics go to a terminal: `index` then redraws one live progress line per network in place.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Output goes to the same terminal as diagnostics, so a live progress region must make way for it too.</summary>
    public bool OutputSharesTerminal { get; init; }

    /// <summary>How often `index` prints its progress as plain lines when diagnostics are not a terminal. Default 10 s.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the verb's log lines go; null: stderr, as Serilog's own console writes them.</summary>
    public TextWriter? Logs { get; init; }

    public void WriteLine(string line)
    {
        lock (Output)
        {
            Output.WriteLine(line);
        }
    }
}
