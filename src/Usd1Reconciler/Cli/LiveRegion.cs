namespace Usd1Reconciler.Cli;

/// <summary>
/// Lines kept at the bottom of a terminal and redrawn in place (ANSI: cursor to the start of the line N up, erase to
/// the end of the screen). Everything else written to that terminal while the region is shown — log lines, command
/// output — must go through <see cref="WriteAbove"/>, which erases the region, writes, and draws it again below:
/// written past it, a line would be erased by the next redraw. Hand-written rather than a console library's live
/// display because those own the terminal and garble lines other writers (Serilog) print meanwhile.
/// </summary>
internal sealed class LiveRegion(TextWriter terminal, Func<int> width)
{
    private readonly Lock _gate = new();
    private IReadOnlyList<string> _lines = [];
    private int _drawn;

    /// <summary>Replaces the region's lines.</summary>
    public void Update(IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            Erase();
            _lines = lines;
            Draw();
        }
    }

    /// <summary>Writes <paramref name="text"/> (whole lines) above the region; <paramref name="onTerminal"/> false for a writer that goes elsewhere (stdout to a file).</summary>
    public void WriteAbove(TextWriter target, string text, bool onTerminal)
    {
        lock (_gate)
        {
            if (onTerminal)
            {
                Erase();
            }

            target.Write(text);
            target.Flush();
            if (onTerminal)
            {
                Draw();
            }
        }
    }

    /// <summary>Removes the region from the screen; later writes go straight through.</summary>
    public void Close()
    {
        lock (_gate)
        {
            Erase();
            _lines = [];
        }
    }

    private void Erase()
    {
        if (_drawn > 0)
        {
            terminal.Write($"\u001b[{_drawn}F\u001b[J");
            _drawn = 0;
        }
    }

    private void Draw()
    {
        // A line wider than the terminal wraps onto two rows and the erase would miss one: cut it to fit.
        var fit = Math.Max(20, width() - 1);
        foreach (var line in _lines)
        {
            terminal.Write(line.Length > fit ? line[..(fit - 1)] + "…" : line);
            terminal.Write('\n');
        }

        _drawn = _lines.Count;
        terminal.Flush();
    }
}
