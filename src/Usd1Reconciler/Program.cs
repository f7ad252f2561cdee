using Usd1Reconciler.Cli;

namespace Usd1Reconciler;

internal static class Program
{
    private static Task<int> Main(string[] args) =>
        CommandLineApp.Build(CliConsole.Standard, TimeProvider.System).Parse(args).InvokeAsync();
}
