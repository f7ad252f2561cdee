using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Checks the validation attributes of a bound options object and of everything below it, and names each problem by
/// its configuration key: <c>Networks:1:Confirmations: must not be negative (was -5)</c>. Scalar rules live on the
/// options properties this way; only the rules that depend on another option, on a network's Kind or on the verb stay
/// in <see cref="OptionsValidator"/>.
/// <list type="bullet">
/// <item>Objects, list elements (<c>:index</c>) and dictionary values (<c>:key</c>) are walked like the binder fills them.</item>
/// <item>On a list or dictionary, <c>[Required]</c>, <c>[MinLength]</c>, <c>[MaxLength]</c> and <c>[Length]</c>
///   judge the collection itself; any other attribute judges each element, named by its index or key.</item>
/// <item>A message is the attribute's <c>ErrorMessage</c> taken as it is written (no placeholders), else a
///   description of the BCL rule (<c>[Range]</c>, <c>[Required]</c>, …), else <see cref="OptionRuleAttribute.Problem"/>.</item>
/// <item>The offending value is appended as "(was …)" when it is a scalar and not merely blank (<c>[Required]</c>), unless the attribute may see secrets
///   (<see cref="OptionRuleAttribute.ShowsValue"/>) or the value came from a secret file.</item>
/// </list>
/// </summary>
internal static class OptionsAttributeWalker
{
    /// <param name="hiddenKeys">Keys whose values came from secret files; their values never appear in a message.</param>
    public static IReadOnlyList<string> Validate(object options, IReadOnlySet<string>? hiddenKeys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Walk(options, null, hiddenKeys ?? new HashSet<string>(), problems);
        return problems;
    }

    private static void Walk(object owner, string? path, IReadOnlySet<string> hidden, List<string> problems)
    {
        foreach (var (name, property) in OptionsShape.Properties(owner.GetType()))
        {
            var key = path is null ? name : $"{path}:{name}";
            var value = property.GetValue(owner);
            var members = Members(value);
            foreach (var attribute in property.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>())
            {
                if (members is null || JudgesCollection(attribute))
                {
                    Check(attribute, value, key, hidden, problems);
                    continue;
                }

                foreach (var (member, memberValue) in members)
                {
                    Check(attribute, memberValue, $"{key}:{member}", hidden, problems);
                }
            }

            if (members is not null)
            {
                foreach (var (member, memberValue) in members.Where(m => m.Value is not null && !OptionsShape.IsScalar(m.Value.GetType())))
                {
                    Walk(memberValue!, $"{key}:{member}", hidden, problems);
                }
            }
            else if (value is not null && !OptionsShape.IsScalar(property.PropertyType))
            {
                Walk(value, key, hidden, problems);
            }
        }
    }

    /// <summary>A list's elements by index, a dictionary's values by key; null for anything else.</summary>
    private static List<(string Member, object? Value)>? Members(object? value) => value switch
    {
        null or string => null,
        IDictionary dictionary => dictionary.Keys.Cast<object>()
            .Select(k => (Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty, dictionary[k]))
            .ToList(),
        IEnumerable list => list.Cast<object?>()
            .Select((element, index) => (index.ToString(CultureInfo.InvariantCulture), element))
            .ToList(),
        _ => null,
    };

    private static bool JudgesCollection(ValidationAttribute attribute) =>
        attribute is RequiredAttribute or MinLengthAttribute or MaxLengthAttribute or LengthAttribute;

    private static void Check(ValidationAttribute attribute, object? value, string key, IReadOnlySet<string> hidden, List<string> problems)
    {
        if (attribute.IsValid(value))
        {
            return;
        }

        var message = attribute.ErrorMessage ?? attribute switch
        {
            OptionRuleAttribute rule => rule.Problem(value!) ?? "is not valid",
            RequiredAttribute => "required",
            RangeAttribute range => Describe(range),
            MinLengthAttribute { Length: 1 } => "at least one value is required",
            MinLengthAttribute minimum => $"at least {minimum.Length} values are required",
            RegularExpressionAttribute pattern => $"must match {pattern.Pattern}",
            _ => attribute.FormatErrorMessage(ConfigurationPathSection(key)),
        };
        var shown = value is not null
            && OptionsShape.IsScalar(value.GetType())
            && attribute is not (OptionRuleAttribute { ShowsValue: false } or RequiredAttribute)
            && !hidden.Contains(key);
        problems.Add(shown ? $"{key}: {message} (was {Show(value!)})" : $"{key}: {message}");
    }

    // int.MaxValue or more as the maximum reads "no upper bound": [Range(0, int.MaxValue)] is "must not be negative".
    private static string Describe(RangeAttribute range)
    {
        var minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
        var unbounded = range.Maximum is int or long or double && Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture) >= int.MaxValue;
        return unbounded
            ? minimum == "0" ? "must not be negative" : $"must be at least {minimum}"
            : $"must be between {minimum} and {Convert.ToString(range.Maximum, CultureInfo.InvariantCulture)}";
    }

    private static string Show(object value) => value switch
    {
        string text => $"'{text}'",
        bool flag => flag ? "true" : "false",
        TimeSpan duration => duration.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string ConfigurationPathSection(string key) => key[(key.LastIndexOf(':') + 1)..];
}
