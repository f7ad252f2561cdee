using System.Text.RegularExpressions;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule: every option is documented in the README. Each key the options model binds (walked from
/// <see cref="ReconcilerOptions"/> through its sections and lists) must have a row in one of README.md's configuration
/// tables (those headed <c>| key | default | meaning |</c>), so an operator never meets an option only in the source.
/// </summary>
public sealed partial class OptionsDocumentedRulesTests
{
    private const string Rule = "house rule 'every option is documented in the README'";

    [Test]
    public void EveryOption_ReadmeConfigurationTables_HaveARowForIt()
    {
        var documented = DocumentedKeys(File.ReadAllLines(Path.Combine(SourceTree.RepositoryRoot, "README.md")));
        Assert.That(documented, Has.Count.GreaterThan(20), $"{Rule}: README.md's configuration tables were not found or not read; does a table still start with '| key | default | meaning |'?");

        var missing = OptionKeys(typeof(ReconcilerOptions), string.Empty, 0)
            .Where(option => !documented.Contains(Normalise(option.Key)))
            .Select(option => $"{Rule}: `{option.Key}` ({option.Owner}) has no row in README.md's configuration tables")
            .ToList();

        Assert.That(missing, Is.Empty, string.Join("\n", missing));
    }

    [Test]
    public void DocumentedKeys_RowWithSiblingsAndRelativeKeys_ExpandsEachKey()
    {
        var keys = DocumentedKeys(
        [
            "| key | default | meaning |",
            "| --- | --- | --- |",
            "| `Networks:N:ExcludedHolders:M:Address` / `:Label` | none | holder |",
            "| `Reconciliation:LiquidityDays` / `LiquidityShareBps` | `2` / `2000` | stress |",
            "",
            "| metric | what |",
            "| `usd1_reserves_usd` | not a key |",
        ]);

        Assert.That(keys, Is.EquivalentTo(new[]
        {
            "Networks:#:ExcludedHolders:#:Address", "Networks:#:ExcludedHolders:#:Label",
            "Reconciliation:LiquidityDays", "Reconciliation:LiquidityShareBps",
        }), "only tables headed 'key' are read; '/ `:Label`' and '/ `Name`' name siblings of the row's first key");
    }

    /// <summary>Every key of <paramref name="type"/>'s options: a list of objects contributes <c>Section:N:Key</c> (N, M, … by depth); a list of values or a dictionary is one key.</summary>
    private static IEnumerable<(string Key, string Owner)> OptionKeys(Type type, string prefix, int depth)
    {
        foreach (var (name, property) in OptionsShape.Properties(type))
        {
            var key = prefix + name;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = OptionsShape.ElementType(propertyType);
            var isDictionary = propertyType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
            if (OptionsShape.IsScalar(propertyType) || isDictionary || (element is not null && OptionsShape.IsScalar(element)))
            {
                yield return (key, $"{type.Name}.{property.Name}");
            }
            else if (element is not null)
            {
                foreach (var nested in OptionKeys(element, $"{key}:{"NMKJ"[Math.Min(depth, 3)]}:", depth + 1))
                {
                    yield return nested;
                }
            }
            else
            {
                foreach (var nested in OptionKeys(propertyType, key + ":", depth))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>
    /// The keys in the first column of README's configuration tables. A cell may name several keys: the first in
    /// full, then siblings either relative (<c>`:Label`</c>) or by their last segment (<c>`LiquidityShareBps`</c>).
    /// </summary>
    private static HashSet<string> DocumentedKeys(IEnumerable<string> readme)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var inKeyTable = false;
        foreach (var line in readme.Select(l => l.Trim()))
        {
            if (!line.StartsWith('|'))
            {
                inKeyTable = false;
                continue;
            }

            var firstCell = line.Split('|')[1].Trim();
            if (firstCell == "key")
            {
                inKeyTable = true;
                continue;
            }

            var names = CodeSpan().Matches(firstCell).Select(m => m.Groups[1].Value).ToList();
            if (!inKeyTable || names.Count == 0)
            {
                continue;
            }

            var first = names[0];
            var parent = first.Contains(':', StringComparison.Ordinal) ? first[..first.LastIndexOf(':')] : string.Empty;
            keys.Add(Normalise(first));
            foreach (var sibling in names.Skip(1))
            {
                keys.Add(Normalise(sibling.StartsWith(':') ? parent + sibling
                    : sibling.Contains(':', StringComparison.Ordinal) || parent.Length == 0 ? sibling
                    : $"{parent}:{sibling}"));
            }
        }

        return keys;
    }

    // A list index is spelt N, M, … in the README and generated the same way above; either side reads it as '#'.
    private static string Normalise(string key) =>
        string.Join(':', key.Split(':').Select(segment => segment.Length == 1 && char.IsAsciiLetterUpper(segment[0]) ? "#" : segment));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
