using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Usd1Reconciler.Cli;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule "every verb's help has an example and its exit codes": `usd1rec &lt;verb&gt; --help` ends with an
/// Examples section whose lines run that verb and an Exit codes section listing 0 and only codes of
/// <see cref="ExitCodes"/>. Scripts and on-call read them; a verb added without them fails here (register it in
/// CommandLineApp's Help table, src/Usd1Reconciler/Cli/CommandLineApp.cs).
/// </summary>
public sealed partial class EveryVerbHelpRulesTests
{
    [GeneratedRegex(@"^  (?<code>\d+)  \S")]
    private static partial Regex ExitCodeLine();

    private static IEnumerable<string[]> Verbs()
    {
        var root = CommandLineApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null), TimeProvider.System);
        return Leaves(root, []);

        static IEnumerable<string[]> Leaves(Command command, string[] path)
        {
            if (command.Subcommands.Count == 0)
            {
                yield return path;
                yield break;
            }

            foreach (var sub in command.Subcommands)
            {
                foreach (var leaf in Leaves(sub, [.. path, sub.Name]))
                {
                    yield return leaf;
                }
            }
        }
    }

    [Test]
    public void Verbs_Found_AllTheDocumentedOnes()
    {
        var verbs = Verbs().Select(v => string.Join(' ', v)).ToList();

        Assert.That(verbs, Is.SupersetOf(new[] { "index", "supply", "reconcile", "run", "report show", "report list", "db backup", "check-config", "healthcheck" }),
            "the rule must walk the real command tree");
    }

    [TestCaseSource(nameof(Verbs))]
    public async Task Help_EveryVerb_HasAnExampleAndItsExitCodes(string[] verb)
    {
        var name = string.Join(' ', verb);
        using var output = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync([.. verb, "--help"], new CliConsole(output, TextWriter.Null), TimeProvider.System, new InvocationConfiguration { Output = output, Error = TextWriter.Null });
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var examplesAt = lines.IndexOf("Examples:");
        var exitCodesAt = lines.IndexOf("Exit codes:");
        var examples = examplesAt < 0 ? [] : lines.Skip(examplesAt + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        var codes = exitCodesAt < 0 ? [] : lines.Skip(exitCodesAt + 1).TakeWhile(l => ExitCodeLine().IsMatch(l))
            .Select(l => int.Parse(ExitCodeLine().Match(l).Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var known = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetValue(null)!).ToHashSet();
        var rule = $"house rule \"every verb's help has an example and its exit codes\": `usd1rec {name} --help` (src/Usd1Reconciler/Cli/CommandLineApp.cs, Help)";

        Assert.That(exit, Is.Zero, $"{rule}: --help must exit 0");
        Assert.That(examples, Is.Not.Empty, $"{rule}: no Examples section");
        Assert.That(examples, Has.All.StartsWith($"  usd1rec {name}"), $"{rule}: every example runs the verb");
        Assert.That(codes, Does.Contain(ExitCodes.Ok), $"{rule}: no Exit codes section listing 0");
        Assert.That(codes, Is.Unique, $"{rule}: an exit code listed twice");
        Assert.That(codes.Where(c => !known.Contains(c)), Is.Empty, $"{rule}: codes that are not in ExitCodes");
    }
}
