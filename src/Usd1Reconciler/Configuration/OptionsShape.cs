using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Walks a configuration key ("Networks:0:ChainId") through the options types the way the configuration binder does,
/// so that unknown keys and unconvertible values can be reported with their full key, all at once, before binding.
/// It follows the same rules as the binder: public instance properties (case-insensitive, honouring
/// <see cref="ConfigurationKeyNameAttribute"/>), list and array elements by index, dictionary values by any key, and a
/// value is a scalar when its <see cref="TypeConverter"/> converts from a string.
/// </summary>
internal static class OptionsShape
{
    /// <summary>Where a key leads.</summary>
    /// <param name="Type">The target type of the whole key; null when the key leaves the options model.</param>
    /// <param name="UnknownPrefix">The key up to and including the first segment that matches nothing, else null.</param>
    /// <param name="Known">Names valid at the unknown segment, for a "did you mean" hint.</param>
    public readonly record struct Resolution(Type? Type, string? UnknownPrefix, IReadOnlyList<string> Known);

    public static Resolution Resolve(Type root, string key)
    {
        var segments = key.Split(ConfigurationPath.KeyDelimiter);
        var type = root;
        for (var i = 0; i < segments.Length; i++)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            var next = Step(type, segments[i], out var known);
            if (next is null)
            {
                // A type the binder fills in ways this walk does not model (object, IConfigurationSection, …) accepts
                // anything below it; only a class with known properties or a scalar can name a key as unknown.
                return known is null
                    ? new Resolution(null, null, [])
                    : new Resolution(null, string.Join(ConfigurationPath.KeyDelimiter, segments[..(i + 1)]), known);
            }

            type = next;
        }

        return new Resolution(type, null, []);
    }

    public static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }

    /// <summary>The element type when <paramref name="type"/> is a list, array or other enumerable (not a string or dictionary).</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    /// <summary>The public properties the binder would fill, by their configuration name.</summary>
    public static IReadOnlyList<string> PropertyNames(Type type) =>
        Properties(type).Select(p => p.Name).ToList();

    /// <summary>The public properties the binder would fill, with their configuration names.</summary>
    public static IReadOnlyList<(string Name, PropertyInfo Property)> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
            .Select(p => (p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, p))
            .ToList();

    private static Type? Step(Type type, string segment, out IReadOnlyList<string>? known)
    {
        known = null;
        if (IsScalar(type))
        {
            // A key below a scalar ("Storage:Path:x") can never bind.
            known = [];
            return null;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return valueType;
        }

        if (ElementType(type) is { } elementType)
        {
            if (int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return elementType;
            }

            known = [];
            return null;
        }

        if (type == typeof(object) || type.IsInterface || type.IsAbstract)
        {
            return null;
        }

        var properties = Properties(type);
        var match = properties.FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase));
        if (match.Property is null)
        {
            known = properties.Select(p => p.Name).ToList();
            return null;
        }

        return match.Property.PropertyType;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }
}
