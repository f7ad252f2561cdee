namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// One send counted by a <see cref="RequestBudget"/>; its outcome tells the budget whether the provider accepted
/// traffic. Disposing it without an outcome (cancellation, a failure before any answer) only hands a probe's turn on.
/// </summary>
internal sealed class RequestLease(RequestBudget budget, int elements) : IDisposable
{
    /// <summary>Elements this send counts against the budget (0 without one).</summary>
    public int Elements { get; } = elements;

    private bool _settled;

    /// <summary>The provider answered without refusing for rate (any status but 429, or 503 with Retry-After).</summary>
    public void Answered()
    {
        if (!_settled)
        {
            _settled = true;
            budget.OnAnswered(this);
        }
    }

    /// <summary>The provider refused for rate and asked for a rest until <paramref name="until"/>.</summary>
    public void RateLimited(DateTimeOffset until)
    {
        if (!_settled)
        {
            _settled = true;
            budget.OnRateLimited(this, until);
        }
    }

    public void Dispose()
    {
        if (!_settled)
        {
            _settled = true;
            budget.OnAbandoned(this);
        }
    }
}
