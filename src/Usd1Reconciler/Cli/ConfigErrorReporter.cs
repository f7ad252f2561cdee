using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Cli;

internal static class ConfigErrorReporter
{
    /// <summary>One line per problem on stderr, each naming its key; the caller exits with <see cref="ExitCodes.InvalidConfiguration"/>.</summary>
    public static int Report(ConfigurationException exception, TextWriter error)
    {
        error.WriteLine($"usd1rec: invalid configuration ({exception.Problems.Count} problem{(exception.Problems.Count == 1 ? "" : "s")}):");
        foreach (var problem in exception.Problems)
        {
            error.WriteLine($"  {problem}");
        }

        return ExitCodes.InvalidConfiguration;
    }
}
