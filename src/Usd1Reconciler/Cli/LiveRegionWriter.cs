using System.Text;

namespace Usd1Reconciler.Cli;

/// <summary>A writer whose whole lines go above a <see cref="LiveRegion"/>; a partial line waits for its end.</summary>
internal sealed class LiveRegionWriter(LiveRegion region, TextWriter inner, bool onTerminal) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_pending)
        {
            _pending.Append(value);
            if (value == '\n')
            {
                Emit();
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_pending)
        {
            _pending.Append(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                Emit();
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? string.Empty) + new string(CoreNewLine));

    public override void Flush()
    {
        // Only whole lines are written; the rest stays until its newline, so the region is never torn mid-line.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_pending)
            {
                if (_pending.Length > 0)
                {
                    region.WriteAbove(inner, _pending.ToString(), onTerminal);
                    _pending.Clear();
                }
            }
        }

        base.Dispose(disposing);
    }

    private void Emit()
    {
        var text = _pending.ToString();
        var end = text.LastIndexOf('\n') + 1;
        region.WriteAbove(inner, text[..end], onTerminal);
        _pending.Remove(0, end);
    }
}
