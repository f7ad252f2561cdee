using Microsoft.Extensions.Configuration;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Prepares the merged configuration (file + environment) for binding: resolves secret files, then reports every
/// unknown key and every value of the wrong type with its full key, and removes them. The binder alone stops at the
/// first such error and names unknown keys without their path; an operator fixing a broken deployment wants the
/// whole list in one go.
/// </summary>
internal static class ConfigurationPrecheck
{
    /// <param name="SecretKeys">Keys whose values came from secret files: no message may show them.</param>
    public sealed record Result(IConfiguration Configuration, IReadOnlyList<string> Problems, IReadOnlyList<string> ReportedKeys, IReadOnlySet<string> SecretKeys)
    {
        /// <summary>
        /// Drops validation problems about a key already reported (an unconvertible <c>Kind</c> would otherwise also
        /// read "Kind: required"); a validation line starts with its key followed by ':'.
        /// </summary>
        public IEnumerable<string> Unreported(IEnumerable<string> validationProblems) =>
            validationProblems.Where(p => !ReportedKeys.Any(k =>
                p.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase)
                || p.StartsWith(k + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)));
    }

    public static Result Run(IConfiguration merged, Type optionsType, string baseDirectory)
    {
        // Leaf keys only: sections show up with a null value (an empty JSON array or object too).
        var data = merged.AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        var reported = new List<string>();
        var secretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        SecretFileResolver.Apply(data, optionsType, baseDirectory, secretKeys, problems, reported);
        var resolved = new ConfigurationBuilder().AddInMemoryCollection(data).Build();

        var unknownReported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in data.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList())
        {
            var resolution = OptionsShape.Resolve(optionsType, key);
            if (resolution.UnknownPrefix is { } prefix)
            {
                data.Remove(key);
                if (unknownReported.Add(prefix))
                {
                    var close = CloseNames(ConfigurationPath.GetSectionKey(prefix), resolution.Known);
                    problems.Add($"{prefix}: unknown key{Hint(close, resolution.Known)}");
                    reported.Add(prefix);

                    // A misspelt key also leaves the intended one unset; "RpcUrl: unknown key (did you mean RpcUrls?)"
                    // says it all, so validation need not add "RpcUrls: required".
                    var parent = ConfigurationPath.GetParentPath(prefix);
                    reported.AddRange(close.Select(name => parent is null ? name : ConfigurationPath.Combine(parent, name)));
                }

                continue;
            }

            if (resolution.Type is { } section && !OptionsShape.IsScalar(section) && !string.IsNullOrEmpty(data[key]))
            {
                // "RpcUrls": "http://…" instead of a list: the binder would silently bind nothing here.
                problems.Add($"{key}: must be {(OptionsShape.ElementType(section) is null ? "an object" : "a list")}, not a single value");
                reported.Add(key);
                data.Remove(key);
                continue;
            }

            if (resolution.Type is { } type && OptionsShape.IsScalar(type) && !Converts(resolved, type, key))
            {
                var shown = secretKeys.Contains(key) ? "the value from its secret file" : $"'{data[key]}'";
                problems.Add($"{key}: {shown} is not {Expected(type)}");
                reported.Add(key);
                data.Remove(key);
            }
        }

        return new Result(new ConfigurationBuilder().AddInMemoryCollection(data).Build(), problems, reported, secretKeys);
    }

    // The binder's own conversion decides (a nullable target takes "" as null, otherwise the type's converter), so this
    // check cannot drift from the bind that follows; asked key by key, it reports every bad value, not the first.
    private static bool Converts(IConfiguration resolved, Type type, string key)
    {
        try
        {
            var converted = resolved.GetValue(type, key);

            // EnumConverter takes any number ("7") as a member; the binder would accept it, validation would then
            // call it unsupported without saying which names are. Name them here instead.
            var target = Nullable.GetUnderlyingType(type) ?? type;
            return !target.IsEnum || converted is null || Enum.IsDefined(target, converted);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(target))}";
        }

        return Type.GetTypeCode(target) switch
        {
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => $"a whole number ({target.Name})",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            _ when target == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)",
            _ when target == typeof(Uri) => "a URL",
            _ => $"a valid {target.Name}",
        };
    }

    private static List<string> CloseNames(string segment, IReadOnlyList<string> known) =>
        known.Where(k => k.StartsWith(segment, StringComparison.OrdinalIgnoreCase)
                || segment.StartsWith(k, StringComparison.OrdinalIgnoreCase)
                || Distance(k.ToUpperInvariant(), segment.ToUpperInvariant()) <= 2)
            .ToList();

    private static string Hint(List<string> close, IReadOnlyList<string> known)
    {
        if (close.Count > 0)
        {
            return $" (did you mean {string.Join(" or ", close)}?)";
        }

        return known.Count is > 0 and <= 20 ? $" (known here: {string.Join(", ", known)})" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
