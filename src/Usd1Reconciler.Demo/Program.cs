using Usd1Reconciler.Cli;

namespace Usd1Reconciler.Demo;

internal static class Program
{
    private static Task<int> Main(string[] args) =>
        DemoCommand.Create(CliConsole.Standard, TimeProvider.System).Parse(args).InvokeAsync();
}
