using Microsoft.Extensions.Configuration;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Reads the configuration file, lets USD1REC__-prefixed environment variables override it, binds it strictly (an
/// unknown key is a typo until proven otherwise) and validates it. Every problem found is reported, not just the first.
/// </summary>
public static class ConfigLoader
{
    public const string EnvironmentPrefix = "USD1REC__";

    /// <summary>Loads <paramref name="path"/> for <paramref name="use"/>, throwing <see cref="ConfigurationException"/> with every problem found.</summary>
    public static LoadedConfiguration Load(string path, ConfigurationUse use = ConfigurationUse.Index)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigurationException([$"--config: file {full} does not exist"]);
        }

        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder()
                .AddJsonFile(full, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException([$"--config: {full} cannot be read as JSON: {(ex.InnerException ?? ex).Message}"]);
        }

        // Secret files resolved, unknown keys and wrong types reported with their full keys and set aside, so one run
        // lists every problem; the strict bind below then only catches what the precheck does not model.
        var precheck = ConfigurationPrecheck.Run(root, typeof(ReconcilerOptions), Path.GetDirectoryName(full)!);
        var problems = precheck.Problems.ToList();
        var options = new ReconcilerOptions();
        try
        {
            precheck.Configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException([.. problems, DescribeBindingError(ex)]);
        }

        problems.AddRange(precheck.Unreported(OptionsValidator.Validate(options, use, precheck.SecretKeys)));
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        var storagePath = Path.IsPathRooted(options.Storage.Path)
            ? options.Storage.Path
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, options.Storage.Path));
        return new LoadedConfiguration(full, options, storagePath);
    }

    // The binder's messages name the key ("Failed to convert configuration value at 'Networks:0:ChainId' to type
    // 'System.Int64'"); the inner exception says why. Both are kept, on one line.
    private static string DescribeBindingError(InvalidOperationException ex) =>
        ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";
}
