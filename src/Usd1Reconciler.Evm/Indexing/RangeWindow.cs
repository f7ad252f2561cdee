using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Decides whether the catch-up window may start one more eth_getLogs range, bounding what the window holds by bytes
/// (issue 18.5), not by blocks, ranges or logs: a chain whose logs carry big data must hold fewer ranges than one of
/// plain Transfers. Two kinds of range are held:
/// <list type="bullet">
/// <item>fetched ranges waiting for their commit, or in it: they count what their logs weighed in the reply
/// (<see cref="Weigh"/>), which bounds the decoded events and headers they keep;</item>
/// <item>ranges still in flight: their reply is being read, its logs held until the range is decoded, so each counts
/// what a range is expected to weigh (the last answer's bytes per block times the range size, see
/// <see cref="EvmIndexer"/>).</item>
/// </list>
/// Ranges in flight are also capped by count (the node's or the request budget's concurrency); fetched ranges are not,
/// so a request budget does not sit idle while the head of the window waits for its commit. An empty window always
/// admits one range, so a stretch of logs larger than the whole bound still progresses, one range at a time (its reply
/// is bounded on its own by <see cref="LogRangeSizer.MaxLogsPerReply"/>).
/// </summary>
internal sealed class RangeWindow(long maxBytesHeld, int maxInFlight)
{
    /// <summary>
    /// The default bound: about 32,000 plain Transfer logs (~640 reply bytes each), so on the bench fixture (10,000 logs
    /// per range) three ranges in all. 28 MiB (four such ranges) raised the rate-limited benchmark's peak RSS to 169 MB
    /// once commits ran beside the fetches (docs/benchmarks.md).
    /// </summary>
    public const long DefaultMaxBytesHeld = 20L * 1024 * 1024;

    /// <summary>Ranges the window holds at most, whatever their weight: tiny ranges of a sparse chain are not free either (a task, a header set each).</summary>
    public const int MaxRanges = 64;

    // What a log costs beyond the text of its members: the member names, quantities (block number, indexes) and
    // punctuation of its JSON object, and the objects it decodes into.
    private const int BytesPerLogBesideText = 192;

    public long MaxBytesHeld { get; } = maxBytesHeld > 0 ? maxBytesHeld : throw new ArgumentOutOfRangeException(nameof(maxBytesHeld), maxBytesHeld, "the window's byte bound must be positive");

    public int MaxInFlight { get; } = maxInFlight > 0 ? maxInFlight : throw new ArgumentOutOfRangeException(nameof(maxInFlight), maxInFlight, "at least one range must be allowed in flight");

    /// <summary>
    /// Whether one more range may start, given <paramref name="inFlight"/> ranges not yet answered, <paramref name="fetched"/>
    /// ranges answered but not yet committed holding <paramref name="fetchedBytes"/>, and the weight a range in flight is
    /// expected to have.
    /// </summary>
    public bool MayStart(int inFlight, int fetched, long fetchedBytes, long expectedBytesPerRange)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFlight);
        ArgumentOutOfRangeException.ThrowIfNegative(fetched);
        if (inFlight + fetched == 0)
        {
            return true;
        }

        if (inFlight >= MaxInFlight || inFlight + fetched >= MaxRanges)
        {
            return false;
        }

        var expected = Math.Max(0, expectedBytesPerRange);
        return fetchedBytes + ((inFlight + 1) * expected) <= MaxBytesHeld;
    }

    /// <summary>
    /// What <paramref name="logs"/> weighed in their reply: the text of their members plus a fixed share per log. It is
    /// an estimate of the reply's bytes (the plain Transfer logs of the bench fixture weigh ~640 here, 630 measured in
    /// the reply), which is what the log objects hold until decoding and bounds what the decoded events keep.
    /// </summary>
    public static long Weigh(IReadOnlyList<EvmLog> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        long bytes = 0;
        foreach (var log in logs)
        {
            bytes += BytesPerLogBesideText + log.Address.Length + log.Data.Length + log.BlockHash.Length + log.TransactionHash.Length;
            foreach (var topic in log.Topics)
            {
                bytes += topic.Length + 3;
            }
        }

        return bytes;
    }
}
