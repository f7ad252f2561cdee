using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.Configuration;

public static partial class OptionsValidator
{
    // The provider decides which keys are needed. No message here repeats the connection string or any part of it:
    // it carries the password (issue 14.2), and a typo next to the password must not print the password.
    private static void ValidateStorage(StorageOptions storage, List<string> problems)
    {
        switch (storage.Provider)
        {
            case StorageProvider.Postgres when string.IsNullOrWhiteSpace(storage.ConnectionString):
                problems.Add("Storage:ConnectionString: required when Storage:Provider is Postgres (or Storage:ConnectionStringFile, a file that holds it)");
                break;
            case StorageProvider.Postgres when PostgresStorageSettings.Problem(storage.ConnectionString) is { } problem:
                problems.Add($"Storage:ConnectionString: {problem}");
                break;
            case StorageProvider.Sqlite when storage.ConnectionString is not null:
                problems.Add("Storage:ConnectionString: only used when Storage:Provider is Postgres; the SQLite store is the file at Storage:Path");
                break;
        }
    }
}
