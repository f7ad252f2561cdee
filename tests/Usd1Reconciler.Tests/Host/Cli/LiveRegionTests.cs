using Usd1Reconciler.Cli;

namespace Usd1Reconciler.Tests.Host.Cli;

public sealed class LiveRegionTests
{
    private const string Escape = "\u001b";

    [Test]
    public void Update_Twice_ErasesTheDrawnLinesBeforeDrawingTheNewOnes()
    {
        using var terminal = new StringWriter();
        var region = new LiveRegion(terminal, () => 80);

        region.Update(["network a: block 1 of 9", "network b: block 2 of 9"]);
        region.Update(["network a: block 5 of 9", "network b: block 6 of 9"]);

        Assert.That(terminal.ToString(), Is.EqualTo(
            "network a: block 1 of 9\nnetwork b: block 2 of 9\n" + $"{Escape}[2F{Escape}[J" + "network a: block 5 of 9\nnetwork b: block 6 of 9\n"));
    }

    [Test]
    public void WriteAbove_ALogLine_ErasesWritesAndRedrawsSoTheLineSurvivesTheNextUpdate()
    {
        using var terminal = new StringWriter();
        var region = new LiveRegion(terminal, () => 80);
        region.Update(["progress"]);
        using var log = new LiveRegionWriter(region, terminal, onTerminal: true);

        log.Write("2026-12-01 10:00:00Z INF a log ");
        log.Write("line\n");
        region.Update(["progress 2"]);

        Assert.That(terminal.ToString(), Is.EqualTo(
            "progress\n" + $"{Escape}[1F{Escape}[J" + "2026-12-01 10:00:00Z INF a log line\n" + "progress\n" + $"{Escape}[1F{Escape}[J" + "progress 2\n"),
            "the log line is written above the region once whole, and the next redraw erases only the region");
    }

    [Test]
    public void WriteAbove_OutputToAFile_DoesNotTouchTheRegion()
    {
        using var terminal = new StringWriter();
        using var file = new StringWriter();
        var region = new LiveRegion(terminal, () => 80);
        region.Update(["progress"]);
        using var output = new LiveRegionWriter(region, file, onTerminal: false);

        output.WriteLine("network a: indexed to 9");

        Assert.That(terminal.ToString(), Is.EqualTo("progress\n"));
        Assert.That(file.ToString(), Is.EqualTo("network a: indexed to 9" + Environment.NewLine));
    }

    [Test]
    public void Update_LineWiderThanTheTerminal_CutSoItCannotWrap()
    {
        using var terminal = new StringWriter();
        var region = new LiveRegion(terminal, () => 30);

        region.Update([new string('x', 50)]);

        var drawn = terminal.ToString().TrimEnd('\n');
        Assert.That(drawn, Has.Length.EqualTo(29), "one column short of the width, or the cursor wraps to the next row");
        Assert.That(drawn, Does.EndWith("…"));
    }

    [Test]
    public void Close_AfterDrawing_ErasesAndLaterWritesGoStraightThrough()
    {
        using var terminal = new StringWriter();
        var region = new LiveRegion(terminal, () => 80);
        region.Update(["progress"]);

        region.Close();
        region.WriteAbove(terminal, "done\n", onTerminal: true);

        Assert.That(terminal.ToString(), Is.EqualTo("progress\n" + $"{Escape}[1F{Escape}[J" + "done\n"));
    }
}
