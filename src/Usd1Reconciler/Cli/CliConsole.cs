namespace Usd1Reconciler.Cli;

/// <summary>Where a command writes: stdout for its output, stderr for diagnostics. Tests pass string writers.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error);

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public void WriteLine(string line)
    {
        lock (Output)
        {
            Output.WriteLine(line);
        }
    }
}
