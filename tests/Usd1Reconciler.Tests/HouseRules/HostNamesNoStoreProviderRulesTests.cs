using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issue 14.1): the host (<c>src/Usd1Reconciler</c>) uses the storage project's interfaces, never its
/// SQLite types (<c>SqliteSupplyStore</c>, <c>SqliteMaintenance</c>, the <c>Usd1Reconciler.Storage.Sqlite</c>
/// namespace …). The one exception is the storage registration in the composition, which picks the provider; a
/// second provider then changes that file and the storage project, not the host.
/// </summary>
public sealed partial class HostNamesNoStoreProviderRulesTests
{
    private const string Registration = "src/Usd1Reconciler/Composition/ReconcilerComposition.cs";

    [Test]
    public void HostSources_OutsideTheStorageRegistration_NameNoSqliteStoreType()
    {
        var offences = new List<string>();
        foreach (var file in SourceTree.CSharpFiles("src/Usd1Reconciler"))
        {
            var relative = SourceTree.Relative(file);
            if (relative == Registration)
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (SqliteName().Match(lines[i]) is { Success: true } match)
                {
                    offences.Add($"  {relative}:{i + 1}: {match.Value}");
                }
            }
        }

        Assert.That(offences, Is.Empty, $"house rule 'the host names no store provider' (issue 14.1): use IIndexStore, IAnomalyStore, IReconciliationStore, IStoreMaintenance; only {Registration} registers SQLite:\n" + string.Join("\n", offences));
    }

    [Test]
    public void SqliteName_Pattern_MatchesStoreTypesNotInterfaces()
    {
        Assert.That(SqliteName().IsMatch("SqliteSupplyStore store"), Is.True);
        Assert.That(SqliteName().IsMatch("using Usd1Reconciler.Storage.Sqlite;"), Is.True);
        Assert.That(SqliteName().IsMatch("IIndexStore store"), Is.False);
    }

    [GeneratedRegex(@"\bSqlite\w+|Storage\.Sqlite\b")]
    private static partial Regex SqliteName();
}
