using Microsoft.Extensions.Configuration;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Secret files, the systemd-credentials / Docker-secrets way: any option <c>Key</c> may instead be given as
/// <c>KeyFile</c>, the path of a file whose trimmed content is the value, so an RPC URL that embeds an API key never
/// sits in the configuration file or the environment (where `ps e`, `docker inspect` and crash dumps can read it).
/// Rules:
/// <list type="bullet">
/// <item>For a list of strings (<c>RpcUrlsFile</c>) each non-empty line of the file is one element; a single element
///   can also come from its own file (<c>RpcUrls:0File</c>, environment <c>USD1REC__Networks__0__RpcUrls__0File</c>).</item>
/// <item>A relative path is relative to the configuration file's folder, like <c>Storage:Path</c>.</item>
/// <item>A real option whose name ends in <c>File</c> is left alone: the rule applies only where the options model has
///   no property of that name.</item>
/// <item>Giving both <c>Key</c> and <c>KeyFile</c>, an unreadable file and an empty file are problems naming the key.</item>
/// </list>
/// Values read from files are never echoed in messages.
/// </summary>
internal static class SecretFileResolver
{
    private const string Suffix = "File";

    /// <param name="data">Flattened configuration (leaf keys only); secret-file keys are replaced by the values they name.</param>
    /// <param name="secretKeys">Receives the keys whose values came from files, so messages can leave the values out.</param>
    /// <param name="problems">Receives one line per problem.</param>
    /// <param name="reportedKeys">Receives the keys a problem was reported for, so validation does not report them again.</param>
    public static void Apply(
        Dictionary<string, string?> data,
        Type optionsType,
        string baseDirectory,
        HashSet<string> secretKeys,
        List<string> problems,
        List<string> reportedKeys)
    {
        foreach (var fileKey in data.Keys.Where(k => IsSecretFileKey(k, optionsType)).ToList())
        {
            var target = fileKey[..^Suffix.Length];
            var path = data[fileKey];
            data.Remove(fileKey);
            reportedKeys.Add(target);
            if (data.Keys.Any(k => k.Equals(target, StringComparison.OrdinalIgnoreCase)
                    || k.StartsWith(target + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{fileKey}: {target} is also set directly; give the value or the file, not both");
                continue;
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add($"{fileKey}: must name a file holding the value of {target}");
                continue;
            }

            var full = Path.GetFullPath(path.Trim(), baseDirectory);
            string content;
            try
            {
                content = File.ReadAllText(full).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{fileKey}: cannot read secret file {full}: {Reason(ex)}");
                continue;
            }

            if (content.Length == 0)
            {
                problems.Add($"{fileKey}: secret file {full} is empty");
                continue;
            }

            var targetType = OptionsShape.Resolve(optionsType, target).Type;
            if (targetType is not null && OptionsShape.ElementType(targetType) is { } element && OptionsShape.IsScalar(element))
            {
                var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < lines.Length; i++)
                {
                    var key = ConfigurationPath.Combine(target, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    data[key] = lines[i];
                    secretKeys.Add(key);
                }
            }
            else
            {
                data[target] = content;
                secretKeys.Add(target);
            }

            reportedKeys.Remove(target);
        }
    }

    private static bool IsSecretFileKey(string key, Type optionsType)
    {
        var last = ConfigurationPath.GetSectionKey(key);
        if (last.Length <= Suffix.Length || !last.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A real option named "…File" (a path the daemon opens itself) keeps its meaning.
        var parent = ConfigurationPath.GetParentPath(key);
        var parentType = parent is null ? optionsType : OptionsShape.Resolve(optionsType, parent).Type;
        return parentType is null
            || !OptionsShape.PropertyNames(Nullable.GetUnderlyingType(parentType) ?? parentType).Contains(last, StringComparer.OrdinalIgnoreCase);
    }

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
