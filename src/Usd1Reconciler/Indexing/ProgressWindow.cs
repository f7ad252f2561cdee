namespace Usd1Reconciler.Indexing;

/// <summary>
/// Rate and time to go of one network's cursor, from its real positions over a sliding window. The rate is the
/// distance the cursor moved since the oldest kept sample divided by the time from that sample to now — not to the
/// newest sample — so a stalled indexer's rate falls towards zero instead of freezing at its last good speed.
/// </summary>
internal sealed class ProgressWindow(TimeSpan window)
{
    /// <summary>Samples closer together than this are not kept (the latest cursor is): a fast backfill commits thousands of times a minute.</summary>
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromMilliseconds(250);

    private readonly Queue<(DateTimeOffset At, long Cursor)> _samples = new();
    private DateTimeOffset _lastSampleAt;
    private long _latest;

    /// <summary>How far back samples count. Older ones are dropped, but the newest older one stays as the window's start.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "must be positive");

    public void Clear() => _samples.Clear();

    public void Add(DateTimeOffset at, long cursor)
    {
        _latest = cursor;
        if (_samples.Count > 0 && at - _lastSampleAt < SampleSpacing)
        {
            return;
        }

        _lastSampleAt = at;
        _samples.Enqueue((at, cursor));
        // Keep one sample at or before the window's start, so the rate always spans the whole window once it can.
        while (_samples.Count > 2 && at - _samples.ElementAt(1).At >= Window)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Blocks (slots) per second since the window's first sample, or null before any sample or time has passed.</summary>
    public double? PerSecond(DateTimeOffset now)
    {
        if (_samples.Count == 0)
        {
            return null;
        }

        var (startAt, startCursor) = _samples.Peek();
        var elapsed = (now - startAt).TotalSeconds;
        return elapsed <= 0 ? null : Math.Max(0, _latest - startCursor) / elapsed;
    }

    /// <summary>Time to reach <paramref name="target"/> at the current rate: zero when there, null when the rate is unknown or zero.</summary>
    public TimeSpan? TimeToGo(long cursor, long target, DateTimeOffset now)
    {
        if (cursor >= target)
        {
            return TimeSpan.Zero;
        }

        if (PerSecond(now) is not { } rate || rate <= 0)
        {
            return null;
        }

        var seconds = (target - cursor) / rate;
        return seconds >= TimeSpan.MaxValue.TotalSeconds ? null : TimeSpan.FromSeconds(Math.Ceiling(seconds));
    }
}
