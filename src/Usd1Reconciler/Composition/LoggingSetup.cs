using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.SystemConsole.Themes;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Composition;

/// <summary>
/// Serilog to stderr: stdout is reserved for command output (`supply --json` must stay machine-readable). Shared by
/// the verbs and the daemon host, so it lives below both.
/// </summary>
internal static class LoggingSetup
{
    /// <summary>
    /// Plain log lines carry the date and time in UTC: a daemon's log is read days later and across time zones, and a
    /// time of day alone cannot be placed ("2026-12-01 08:09:42Z INF …").
    /// </summary>
    public const string OutputTemplate = "{UtcTimestamp:yyyy-MM-dd HH:mm:ss}Z {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <param name="options">Level and format.</param>
    /// <param name="output">Where lines go; null: stderr through Serilog's console sink.</param>
    public static ILoggerFactory Create(LoggingOptions options, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var level = Enum.TryParse<LogEventLevel>(options.Level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var configuration = new LoggerConfiguration().MinimumLevel.Is(level).Enrich.FromLogContext();
        if (output is not null)
        {
            Serilog.Formatting.ITextFormatter formatter = options.Json
                ? new CompactJsonFormatter()
                : new MessageTemplateTextFormatter(OutputTemplate, System.Globalization.CultureInfo.InvariantCulture);
            configuration = configuration.WriteTo.Sink(new TextWriterLogSink(formatter, output));
        }
        else
        {
            configuration = options.Json
                ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Console(
                    outputTemplate: OutputTemplate,
                    standardErrorFromLevel: LogEventLevel.Verbose,
                    theme: ConsoleTheme.None,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        var logger = configuration.CreateLogger();
        return LoggerFactory.Create(builder => builder.AddSerilog(logger, dispose: true));
    }
}
