using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>One instant query's result: a vector's samples, or one unlabelled sample for a scalar.</summary>
internal sealed record PrometheusQueryResult(string ResultType, IReadOnlyList<PrometheusSample> Samples)
{
    /// <summary>The value of the only sample; throws unless exactly one.</summary>
    public double Single => Samples.Count == 1
        ? Samples[0].Value
        : throw new InvalidOperationException($"expected one sample, got {Samples.Count}: {this}");

    public static PrometheusQueryResult From(JsonElement data)
    {
        var type = data.GetProperty("resultType").GetString()!;
        var result = data.GetProperty("result");
        IReadOnlyList<PrometheusSample> samples = type switch
        {
            "vector" => [.. result.EnumerateArray().Select(s => new PrometheusSample(Labels(s), Number(s.GetProperty("value")[1])))],
            // A range selector in an instant query: keep each series' newest point.
            "matrix" => [.. result.EnumerateArray().Select(s => new PrometheusSample(Labels(s), Number(s.GetProperty("values").EnumerateArray().Last()[1])))],
            "scalar" or "string" => [new PrometheusSample(new Dictionary<string, string>(), Number(result[1]))],
            _ => throw new InvalidOperationException($"unknown resultType {type}"),
        };
        return new PrometheusQueryResult(type, samples);
    }

    public override string ToString() => $"{ResultType}[{string.Join(", ", Samples)}]";

    private static Dictionary<string, string> Labels(JsonElement sample) =>
        sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");

    private static double Number(JsonElement value) => value.GetString() switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN,
    };
}
