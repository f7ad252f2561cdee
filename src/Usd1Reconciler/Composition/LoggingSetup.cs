using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Composition;

/// <summary>
/// Serilog to stderr: stdout is reserved for command output (`supply --json` must stay machine-readable). Shared by
/// the verbs and the daemon host, so it lives below both.
/// </summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(LoggingOptions options)
    {
        var level = Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var configuration = new LoggerConfiguration().MinimumLevel.Is(level).Enrich.FromLogContext();
        configuration = options.Json
            ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                theme: ConsoleTheme.None,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        var logger = configuration.CreateLogger();
        return LoggerFactory.Create(builder => builder.AddSerilog(logger, dispose: true));
    }
}
