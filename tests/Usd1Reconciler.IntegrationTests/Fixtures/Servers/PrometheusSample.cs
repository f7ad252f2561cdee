using System.Globalization;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>One series of a result: its labels (with <c>__name__</c> when kept) and value.</summary>
internal sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string this[string label] => Labels.TryGetValue(label, out var value) ? value : "";

    public override string ToString() =>
        $"{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}
