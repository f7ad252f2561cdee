namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>One VmRSS/VmHWM reading of the daemon, in bytes, at a time since it was started.</summary>
internal sealed record RssSample(TimeSpan At, long Rss, long Hwm);
