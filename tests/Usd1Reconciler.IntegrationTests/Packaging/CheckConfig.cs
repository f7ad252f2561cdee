using Usd1Reconciler.Cli;

namespace Usd1Reconciler.IntegrationTests.Packaging;

/// <summary>`usd1rec check-config` in-process, for the configuration files the packaging mounts or installs.</summary>
internal static class CheckConfig
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static async Task<Result> RunAsync(string configPath)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["check-config", "--config", configPath]).InvokeAsync();
        return new Result(exit, output.ToString(), error.ToString());
    }
}
