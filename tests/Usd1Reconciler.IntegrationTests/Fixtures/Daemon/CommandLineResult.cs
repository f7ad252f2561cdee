namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>A finished tool run; <see cref="Output"/> is stdout then stderr, for assertion messages.</summary>
internal sealed record CommandLineResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => $"{StdOut}\n{StdErr}".Trim();
}
