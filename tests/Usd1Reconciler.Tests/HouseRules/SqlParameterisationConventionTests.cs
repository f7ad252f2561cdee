using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// Convention: SQL is only ever parameterised. Any string literal in src/ that holds SQL may interpolate only named
/// constants (a column list such as EventColumns), never a value, and is never built with + or string.Format.
/// </summary>
public sealed partial class SqlParameterisationConventionTests
{
    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Usd1Reconciler.sln")))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [Test]
    public void SourceFiles_SqlStrings_InterpolateOnlyConstantsAndAreNeverConcatenated()
    {
        var problems = new List<string>();
        var files = Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var checkedLiterals = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var constants = ConstantPattern().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match literal in InterpolatedLiteralPattern().Matches(text))
            {
                var body = literal.Value;
                if (!SqlKeywordPattern().IsMatch(body))
                {
                    continue;
                }

                checkedLiterals++;
                foreach (Match hole in HolePattern().Matches(body))
                {
                    var expression = hole.Groups["expr"].Value.Trim();
                    if (!constants.Contains(expression))
                    {
                        problems.Add($"{Path.GetFileName(file)}: SQL interpolates '{expression}', which is not a const in that file");
                    }
                }
            }

            foreach (Match concat in ConcatenationPattern().Matches(text))
            {
                problems.Add($"{Path.GetFileName(file)}: SQL built by concatenation or string.Format near '{concat.Value.Trim()}'");
            }
        }

        Assert.That(checkedLiterals, Is.Positive, "precondition: the scan found the store's interpolated SQL (EventColumns)");
        Assert.That(problems, Is.Empty, "values must reach SQL as parameters (@name), never as text");
    }

    [GeneratedRegex("""const\s+string\s+(?<name>\w+)\s*=""")]
    private static partial Regex ConstantPattern();

    // $"..." and $"""...""" literals (raw ones may span lines).
    [GeneratedRegex(""""\$+"""[\s\S]*?"""|\$"(?:[^"\\\n]|\\.)*"""")]
    private static partial Regex InterpolatedLiteralPattern();

    [GeneratedRegex(@"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|ALTER\s+TABLE)\b")]
    private static partial Regex SqlKeywordPattern();

    [GeneratedRegex(@"(?<!\{)\{(?<expr>[^{}:]+)(:[^{}]*)?\}(?!\})")]
    private static partial Regex HolePattern();

    [GeneratedRegex("""("(SELECT|INSERT|UPDATE|DELETE)\b[^"\n]*"\s*\+)|(string\.Format\(\s*"(SELECT|INSERT|UPDATE|DELETE))""")]
    private static partial Regex ConcatenationPattern();
}
