using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Chooses eth_getLogs range sizes. Providers cap ranges by block count, result count or response size, each with
/// its own error text (told apart in <see cref="ProviderErrors"/>); on any of them the range halves. The indexer's
/// own cap is <see cref="MaxLogsPerReply"/>: a reply with more logs is abandoned mid-stream and the range halves
/// too, so memory per range stays bounded whatever the chain holds. After an answer the next range is scaled towards
/// <see cref="TargetLogs"/> logs: shrunk in proportion when an answer was well above it, doubled after a comfortably
/// small one, up to the configured maximum (starting small, see <see cref="InitialSize"/>).
/// </summary>
internal sealed class LogRangeSizer(int maximum)
{
    /// <summary>Logs one range is sized to hold: a few MB of decoded events, a few hundred ms of work.</summary>
    public const int TargetLogs = 10_000;

    /// <summary>More logs than this in one reply (of more than one block) abandon the reply; a single block is read whole, it cannot be split.</summary>
    public const int MaxLogsPerReply = 50_000;

    // Answers with fewer logs than this grow the next range.
    private const int GrowBelowLogs = 5_000;

    // The first range of a run: a dense stretch of chain is found with a small request rather than with a reply of
    // hundreds of thousands of logs the node builds in full before the cap stops us; a sparse one reaches the maximum
    // after a handful of doublings.
    private const int InitialSize = 64;

    private readonly int _maximum = maximum;

    public int Size { get; private set; } = Math.Min(maximum, InitialSize);

    public void OnSuccess(int logCount)
    {
        if (logCount > TargetLogs * 2)
        {
            Size = (int)Math.Max(1, (long)Size * TargetLogs / logCount);
        }
        else if (logCount < GrowBelowLogs && Size < _maximum)
        {
            Size = (int)Math.Min((long)Size * 2, _maximum);
        }
    }

    /// <summary>Halves the range; false when it is already a single block and cannot shrink.</summary>
    public bool Shrink()
    {
        if (Size == 1)
        {
            return false;
        }

        Size = Math.Max(1, Size / 2);
        return true;
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
