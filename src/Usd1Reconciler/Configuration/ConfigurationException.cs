namespace Usd1Reconciler.Configuration;

/// <summary>The configuration cannot be used; <see cref="Problems"/> holds one line per problem, each naming its key.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
