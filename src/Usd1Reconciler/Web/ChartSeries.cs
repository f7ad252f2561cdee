using System.Numerics;

namespace Usd1Reconciler.Web;

/// <summary>What one chart draws: its points, how a value reads for people, and an optional reference line (the minimum coverage).</summary>
internal sealed record ChartSeries(string Id, string Title, IReadOnlyList<ChartPoint> Points, Func<BigInteger, string> Label, BigInteger? Reference = null, string ReferenceLabel = "");
