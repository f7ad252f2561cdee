using System.Numerics;

namespace Usd1Reconciler.Web;

/// <summary>One report on a chart: when its figures hold and its exact value (null: Inconclusive, no figure).</summary>
internal sealed record ChartPoint(DateTimeOffset At, BigInteger? Value);
