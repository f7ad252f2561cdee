using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Chooses eth_getLogs range sizes. Providers cap ranges by block count, result count or response size, each with its
/// own error text (told apart in <see cref="ProviderErrors"/>); on any of them the range that hit it is split in two
/// and later ranges are no larger than its halves. The indexer's own cap is <see cref="MaxLogsPerReply"/>: a reply with
/// more logs is abandoned mid-stream and split too, so memory per range stays bounded whatever the chain holds. After
/// an answer the next range is scaled from that range's density towards <see cref="TargetLogs"/> logs: shrunk in
/// proportion when it was well above it, doubled after a comfortably small one, up to the configured maximum (starting
/// small, see <see cref="InitialSize"/>). Where requests are what costs (a request budget is configured, see
/// <see cref="LogRangeSizer(int, bool)"/>), a small answer sizes the next range from its density at once instead of
/// doubling, and a limit hit by a piece of a range already split shrinks only that piece, not the ranges sized from
/// the answers elsewhere.
/// </summary>
internal sealed class LogRangeSizer(int maximum, bool requestsAreScarce)
{
    public LogRangeSizer(int maximum)
        : this(maximum, requestsAreScarce: false)
    {
    }

    /// <summary>Logs one range is sized to hold: a few MB of decoded events, a few hundred ms of work.</summary>
    public const int TargetLogs = 10_000;

    /// <summary>More logs than this in one reply (of more than one block) abandon the reply; a single block is read whole, it cannot be split.</summary>
    public const int MaxLogsPerReply = 50_000;

    // Answers with fewer logs than this grow the next range.
    private const int GrowBelowLogs = 5_000;

    // Growth after a comfortably small answer. Fourfold was tried (issue 18): it reaches a provider's cap two answers
    // sooner after a dense stretch, but on the bench fixture (10,000 logs every 100 blocks) a 64-block range that
    // happened to hold nothing grew to 256 blocks and three transactions, and peak RSS rose by ~10 MiB.
    private const int Growth = 2;

    // The first range of a run: a dense stretch of chain is found with a small request rather than with a reply of
    // hundreds of thousands of logs the node builds in full before the cap stops us; a sparse one reaches the maximum
    // after a handful of answers.
    private const int InitialSize = 64;

    private readonly int _maximum = maximum;
    private readonly bool _requestsAreScarce = requestsAreScarce;

    public int Size { get; private set; } = Math.Min(maximum, InitialSize);

    /// <summary>Whether an answer has been seen: before it, <see cref="Size"/> is a guess about the chain's density.</summary>
    public bool Calibrated { get; private set; }

    /// <summary>A range of <paramref name="blocks"/> blocks was answered with <paramref name="logCount"/> logs.</summary>
    public void OnSuccess(int blocks, int logCount)
    {
        Calibrated = true;
        if (logCount > TargetLogs * 2)
        {
            Size = (int)Math.Max(1, (long)blocks * TargetLogs / logCount);
        }
        else if (logCount < GrowBelowLogs && Size < _maximum)
        {
            // With scarce requests, straight to the size at which this range's density gives half the target (the
            // margin keeps a denser neighbourhood under a provider's result cap): doubling from 64 blocks to a
            // 10,000-block cap is seven requests a backfill does not need. A local node keeps doubling: there a
            // request is cheap and an overshoot costs memory (see Growth).
            var grown = _requestsAreScarce
                ? (long)blocks * (TargetLogs / 2) / Math.Max(1, logCount)
                : (long)blocks * Growth;
            Size = (int)Math.Min(Math.Max(Size, grown), _maximum);
        }
    }

    /// <summary>
    /// A range of <paramref name="blocks"/> blocks hit a limit: later ranges are at most half as large. With scarce
    /// requests a <paramref name="splitPiece"/> (a half of a range that already hit one) leaves later ranges as they
    /// are: the split is finding a dense stretch inside that range, and ranges started meanwhile further on would
    /// otherwise be cut to the stretch's size wherever the chain is sparse. A single block always shrinks the size to
    /// one: the indexer asks a single block once more only while the size is larger.
    /// </summary>
    public void OnLimit(int blocks, bool splitPiece = false)
    {
        Calibrated = true;
        if (splitPiece && _requestsAreScarce && blocks > 1)
        {
            return;
        }

        Size = Math.Max(1, Math.Min(Size, blocks / 2));
    }

    /// <summary>Whether a failure says the range was too large (as opposed to the node being broken).</summary>
    public static bool IsRangeLimit(Exception exception) => exception switch
    {
        ReplyTooLargeException => true,
        JsonRpcErrorException e => ProviderErrors.SaysRangeTooLarge(e.Code, e.RpcMessage),
        RpcUnavailableException u => u.Failures.Any(f => f is RpcTransportException { HttpStatus: 413 }
            || (f is RpcTransportException t && (t.Message.Contains("no answer within", StringComparison.Ordinal) || t.Message.Contains("reply not complete within", StringComparison.Ordinal)))),
        _ => false,
    };
}
