using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// Chooses eth_getLogs range sizes. Providers cap ranges by block count, result count or response size, each with
/// its own error text; on any of them the range halves, and after a comfortably small answer it doubles again, up to
/// the configured maximum.
/// </summary>
internal sealed class LogRangeSizer(int maximum)
{
    // Answers with fewer logs than this grow the next range.
    private const int GrowBelowLogs = 5_000;

    private readonly int _maximum = maximum;

    public int Size { get; private set; } = maximum;

    public void OnSuccess(int logCount)
    {
        if (logCount < GrowBelowLogs && Size < _maximum)
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
        JsonRpcErrorException e => e.Code == -32005 || MentionsLimit(e.RpcMessage),
        RpcUnavailableException u => u.Failures.Any(f => f is RpcTransportException { HttpStatus: 413 } || (f is RpcTransportException t && t.Message.Contains("no answer within", StringComparison.Ordinal))),
        _ => false,
    };

    private static bool MentionsLimit(string message)
    {
        string[] hints = ["range", "too many", "limit", "exceed", "more than", "too large", "response size", "10000", "timeout"];
        return hints.Any(h => message.Contains(h, StringComparison.OrdinalIgnoreCase));
    }
}
