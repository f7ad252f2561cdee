namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Finds the newest block older than a cutoff time with few round trips: block times grow with the number at a
/// near-constant pace, so a guess interpolated between two known blocks lands close to the answer, and reading the
/// guess together with the block after it usually settles the question in one reply (a block older than the cutoff
/// followed by one that is not). A step that does not at least halve the interval is followed by a bisection step,
/// so an irregular chain costs at most about twice the rounds of a plain bisection; the answer is exact either way.
/// On a rate-limited provider each round trip is a reply's latency during which nothing commits (the search stands
/// before the first range's block times), and a bisection over 20M blocks took ~25 of them.
/// </summary>
internal static class BlockTimeSearch
{
    /// <summary>Reads the timestamps of the given blocks, in order, in one request (a batch).</summary>
    public delegate Task<IReadOnlyList<DateTimeOffset>> ReadTimes(long[] blocks, CancellationToken cancellationToken);

    /// <summary>
    /// The newest block in <paramref name="first"/>..<paramref name="last"/> whose time is before
    /// <paramref name="cutoff"/>; <paramref name="first"/> − 1 when none is. Block times must not decrease with the
    /// number (a chain's consensus rule).
    /// </summary>
    public static async Task<long> NewestOlderThanAsync(long first, long last, DateTimeOffset cutoff, ReadTimes read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (last < first)
        {
            return first - 1;
        }

        var ends = await read(first == last ? [last] : [first, last], cancellationToken);
        if (ends[^1] < cutoff)
        {
            return last;
        }

        if (ends[0] >= cutoff)
        {
            return first - 1;
        }

        // Invariant: block `low` is older than the cutoff (time lowTime), block `high + 1` is not (time aboveTime); the
        // answer is in low..high.
        var (low, lowTime) = (first, ends[0]);
        var (high, aboveTime) = (last - 1, ends[^1]);
        var interpolate = true;
        while (low < high)
        {
            var width = high - low;
            long guess;
            if (interpolate)
            {
                var share = (cutoff - lowTime).Ticks / (double)(aboveTime - lowTime).Ticks;
                guess = low + (long)Math.Floor(share * (high + 1 - low));
            }
            else
            {
                guess = low + ((high - low + 1) / 2);
            }

            guess = Math.Clamp(guess, low + 1, high);
            // The block after the guess comes along (one more element, no more round trip) unless it is high + 1,
            // already known: older then newer settles the answer at once.
            var times = await read(guess < high ? [guess, guess + 1] : [guess], cancellationToken);
            if (times[0] >= cutoff)
            {
                (high, aboveTime) = (guess - 1, times[0]);
            }
            else
            {
                (low, lowTime) = (guess, times[0]);
                if (times.Count > 1)
                {
                    if (times[1] >= cutoff)
                    {
                        (high, aboveTime) = (guess, times[1]);
                    }
                    else
                    {
                        (low, lowTime) = (guess + 1, times[1]);
                    }
                }
            }

            interpolate = high - low <= width / 2;
        }

        return low;
    }
}
