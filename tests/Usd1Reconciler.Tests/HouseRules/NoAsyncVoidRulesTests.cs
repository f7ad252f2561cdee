using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issue 13.4, Quartz.NET's QualityTest): no <c>async void</c> in <c>src/</c>. An exception thrown in an
/// async void method cannot be awaited or caught by the caller; it tears the process down (or, in a handler, is lost),
/// which in a daemon means a page that never fires or a process that dies without a word.
/// </summary>
public sealed partial class NoAsyncVoidRulesTests
{
    [Test]
    public void Sources_NoMethodOrLambda_IsAsyncVoid()
    {
        var offences = new List<string>();
        foreach (var file in SourceTree.CSharpFiles("src"))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (!trimmed.StartsWith("//", StringComparison.Ordinal) && AsyncVoid().IsMatch(lines[i]))
                {
                    offences.Add($"  {SourceTree.Relative(file)}:{i + 1}: {trimmed}");
                }
            }
        }

        Assert.That(offences, Is.Empty, "house rule 'no async void': return Task or ValueTask so failures reach a caller:\n" + string.Join("\n", offences));
    }

    [Test]
    public void AsyncVoid_Pattern_MatchesDeclarationsOnly()
    {
        Assert.That(AsyncVoid().IsMatch("    private async void OnTick(object? state)"), Is.True);
        Assert.That(AsyncVoid().IsMatch("    public static async  void Main()"), Is.True);
        Assert.That(AsyncVoid().IsMatch("    public async Task RunAsync()"), Is.False);
        Assert.That(AsyncVoid().IsMatch("    public async ValueTask Execute(IJobExecutionContext context)"), Is.False);
    }

    [GeneratedRegex(@"\basync\s+void\b")]
    private static partial Regex AsyncVoid();
}
