using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issues 13.4, 14.1): <c>Microsoft.Data.Sqlite</c> — its namespace or any of its types — appears only in
/// <c>src/Usd1Reconciler.Storage</c>. The host and the adapters speak to store interfaces and catch the storage
/// project's own exceptions, so a second provider is an addition to the storage project, not a rewrite of the host.
/// </summary>
public sealed partial class NoSqliteOutsideStorageRulesTests
{
    private const string StorageProject = "src/Usd1Reconciler.Storage/";

    [Test]
    public void Sources_OutsideTheStorageProject_NameNoSqliteProviderType()
    {
        var offences = new List<string>();
        foreach (var file in SourceTree.CSharpFiles("src"))
        {
            var relative = SourceTree.Relative(file);
            if (relative.StartsWith(StorageProject, StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (SqliteProvider().Match(lines[i]) is { Success: true } match)
                {
                    offences.Add($"  {relative}:{i + 1}: {match.Value}");
                }
            }
        }

        Assert.That(offences, Is.Empty, "house rule 'no Microsoft.Data.Sqlite outside the storage project': use the store interfaces and the storage project's exceptions instead:\n" + string.Join("\n", offences));
    }

    [Test]
    public void SqliteProvider_Pattern_MatchesTheProviderAndNotTheStore()
    {
        // The rule is about the provider: its namespace and types; the store's own Sqlite* types are the registration's business.
        Assert.That(SqliteProvider().IsMatch("using Microsoft.Data.Sqlite;"), Is.True);
        Assert.That(SqliteProvider().IsMatch("catch (SqliteException ex)"), Is.True);
        Assert.That(SqliteProvider().IsMatch("SqliteConnection.ClearAllPools();"), Is.True);
        Assert.That(SqliteProvider().IsMatch("services.AddSqliteStorage(settings);"), Is.False);
    }

    [GeneratedRegex(@"Microsoft\.Data\.Sqlite|\bSqlite(?:Exception|Connection|Command|Transaction|DataReader|Parameter|ConnectionStringBuilder|OpenMode|Factory)\b")]
    private static partial Regex SqliteProvider();
}
