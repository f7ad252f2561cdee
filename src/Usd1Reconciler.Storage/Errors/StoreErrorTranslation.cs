namespace Usd1Reconciler.Storage.Errors;

/// <summary>
/// Issue 14.1: callers see the storage project's exceptions only. A translation maps a provider's exception (with the
/// operation that failed, for the message) to a <see cref="StoreException"/>, or returns null for an exception that is
/// not the provider's (an argument error, a refused rollback), which then passes unchanged.
/// </summary>
internal delegate StoreException? StoreErrorTranslation(Exception exception, string operation);

/// <summary>The one try/catch the translating views wrap around every call.</summary>
internal static class StoreCalls
{
    public static async Task<T> Run<T>(StoreErrorTranslation translate, string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StoreException and not OperationCanceledException)
        {
            if (translate(ex, operation) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    public static async Task Run(StoreErrorTranslation translate, string operation, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StoreException and not OperationCanceledException)
        {
            if (translate(ex, operation) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }
}
