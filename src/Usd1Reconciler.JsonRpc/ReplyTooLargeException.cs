namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// A streamed array reply held more items than the caller allowed: reading stopped there, so memory stays bounded by
/// what the caller asked for. The request is the problem, not the endpoint (ask for a smaller range).
/// </summary>
public sealed class ReplyTooLargeException(string method, string endpoint, int maxItems)
    : RpcException(method, endpoint, $"reply holds more than {maxItems} items; ask for less")
{
    public int MaxItems { get; } = maxItems;
}
