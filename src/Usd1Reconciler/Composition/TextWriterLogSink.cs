using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Usd1Reconciler.Composition;

/// <summary>
/// Log events rendered whole and written in one call to a writer: `index` on a terminal hands it the writer that keeps
/// its live progress lines below the log (the CLI's live region).
/// </summary>
internal sealed class TextWriterLogSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, line);
        lock (output)
        {
            output.Write(line.ToString());
            output.Flush();
        }
    }
}
