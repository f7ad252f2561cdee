namespace Usd1Reconciler.Configuration;

/// <summary>A validated configuration, with the store path resolved against the configuration file's folder.</summary>
public sealed record LoadedConfiguration(string FilePath, ReconcilerOptions Options, string StoragePath);
