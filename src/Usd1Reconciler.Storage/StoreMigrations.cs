using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The provider-neutral half of both migrators (<see cref="Sqlite.SqliteMigrator"/>, <see cref="Postgres.PostgresMigrator"/>):
/// loading the embedded files and the loop that applies them. The provider gives the transaction (with whatever it
/// must hold first: PostgreSQL's advisory lock), the versions applied as seen inside it, and the step that runs one
/// migration and records it. Invariants kept here, alike for both: migrations apply in number order, one transaction
/// each, the migration and its row in <c>schema_migrations</c> together; a store carrying a version this build does not
/// know was written by a newer release and is refused before anything is applied; the applied versions are read again
/// in every transaction, so a migration another process applied meanwhile is never applied twice.
/// </summary>
internal static class StoreMigrations
{
    /// <summary>The migrations embedded under <paramref name="resourcePrefix"/>, in number order.</summary>
    /// <exception cref="InvalidOperationException">Two files carry the same number (a build mistake).</exception>
    public static IReadOnlyList<StoreMigration> Load(string resourcePrefix, string provider)
    {
        var assembly = typeof(StoreMigrations).Assembly;
        var migrations = new List<StoreMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(resourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[resourcePrefix.Length..];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            migrations.Add(new StoreMigration(version, name, ReadResource(assembly, resource)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two {provider} migrations carry number {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(m => m.Name))}");
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    /// <summary>Brings the schema up to date; returns the versions this call applied (not those a concurrent one did).</summary>
    /// <param name="begin">Opens the transaction of one step, holding whatever serializes migrators of this provider.</param>
    /// <param name="readApplied">The versions recorded, read inside that transaction.</param>
    /// <param name="apply">Runs one migration and records its row, inside that transaction.</param>
    /// <exception cref="StoreSchemaException">The store carries a version newer than this build.</exception>
    public static IReadOnlyList<int> Apply<TTransaction>(
        IReadOnlyList<StoreMigration> migrations,
        Func<TTransaction> begin,
        Func<TTransaction, IReadOnlySet<int>> readApplied,
        Action<TTransaction, StoreMigration> apply)
        where TTransaction : DbTransaction
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(begin);
        ArgumentNullException.ThrowIfNull(readApplied);
        ArgumentNullException.ThrowIfNull(apply);
        var newest = migrations.Max(m => m.Version);
        var appliedNow = new List<int>();
        while (true)
        {
            using var transaction = begin();
            var applied = readApplied(transaction);
            var unknown = applied.Where(v => v > newest).ToList();
            if (unknown.Count > 0)
            {
                throw new StoreSchemaException(
                    $"the store has schema version {unknown.Max()} but this build knows up to {newest}: it was written by a newer usd1rec; upgrade usd1rec or restore a backup");
            }

            var next = migrations.FirstOrDefault(m => !applied.Contains(m.Version));
            if (next is null)
            {
                transaction.Commit();
                return appliedNow;
            }

            apply(transaction, next);
            transaction.Commit();
            appliedNow.Add(next.Version);
        }
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded migration {resource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
