using Usd1Reconciler.Cli;

namespace Usd1Reconciler;

internal static class Program
{
    private static Task<int> Main(string[] args) => CommandLineApp.InvokeAsync(args, CliConsole.Standard, TimeProvider.System);
}
