namespace Usd1Reconciler.Configuration;

public sealed class StorageOptions
{
    /// <summary>
    /// SQLite file. <value>Default <c>usd1rec.db</c>.</value> A relative path is taken relative to the configuration
    /// file's folder, so the same file works from any working directory (systemd starts units in /).
    /// </summary>
    public string Path { get; set; } = "usd1rec.db";
}
