using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Storage.Errors;

/// <summary>SQLite's errors as the storage project's own: constraint (SQLITE_CONSTRAINT, 19), damage, or unavailable.</summary>
internal static class SqliteErrors
{
    private const int SqliteConstraint = 19;

    public static StoreErrorTranslation For(SqliteSupplyStore store) => (exception, operation) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } constraint =>
            new StoreConstraintException($"store {store.Path}: {operation} was refused by a constraint and rolled back: {constraint.Message}", constraint),
        SqliteException sqlite => store.Translate(sqlite, operation),
        _ => null,
    };
}
