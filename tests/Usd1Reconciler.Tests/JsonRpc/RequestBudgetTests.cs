using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Tests.JsonRpc;

/// <summary>The per-endpoint request budget: batch elements counted, a sliding window, Retry-After, one probe after a 429.</summary>
public sealed class RequestBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Real time for continuations on the thread pool to run (the fake clock does not move meanwhile).</summary>
    private static Task Settle(int milliseconds = 50) => Task.Delay(TimeSpan.FromMilliseconds(milliseconds), TimeProvider.System);

    [Test]
    public async Task AcquireAsync_BatchElementsFillTheBudget_NextRequestWaitsUntilTheOldestLeavesTheWindow()
    {
        var budget = new RequestBudget(5, _time);
        (await budget.AcquireAsync(3, CancellationToken.None)).Answered();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        (await budget.AcquireAsync(2, CancellationToken.None)).Answered();

        var sixth = budget.AcquireAsync(1, CancellationToken.None);
        _time.Advance(RequestBudget.Window - TimeSpan.FromMilliseconds(101));
        Assert.That(sixth.IsCompleted, Is.False, "a batch of 3 and one of 2 are 5 requests: a sixth must wait for the window");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        using var lease = await sixth.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(budget.Throttled, Is.EqualTo(1), "the wait is counted");
    }

    [Test]
    public async Task AcquireAsync_BatchNeedsMoreRoomThanLeft_WaitsForAsManyOldSendsToLeave()
    {
        var budget = new RequestBudget(4, _time);
        (await budget.AcquireAsync(1, CancellationToken.None)).Answered();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        (await budget.AcquireAsync(2, CancellationToken.None)).Answered();

        // 3 of 4 used; a batch of 3 needs the first send and one of the second batch gone: both left at +300 ms + window.
        var batch = budget.AcquireAsync(3, CancellationToken.None);
        _time.Advance(RequestBudget.Window - TimeSpan.FromMilliseconds(1));
        Assert.That(batch.IsCompleted, Is.False, "the first send leaving frees one place, the batch needs two");
        _time.Advance(TimeSpan.FromMilliseconds(301));
        using var lease = await batch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AcquireAsync_RequestsAwaitingTheirAnswer_HoldTheirPlaceUntilAWindowAfterIt()
    {
        var budget = new RequestBudget(2, _time);
        var slow = await budget.AcquireAsync(1, CancellationToken.None);
        using var slower = await budget.AcquireAsync(1, CancellationToken.None);

        var third = budget.AcquireAsync(1, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await Settle();
        Assert.That(third.IsCompleted, Is.False,
            "the provider may count an unanswered request at any instant until its answer: its place is not free yet");

        slow.Answered();
        _time.Advance(RequestBudget.Window - TimeSpan.FromMilliseconds(1));
        await Settle();
        Assert.That(third.IsCompleted, Is.False, "a window from the answer has not passed");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        using var lease = await third.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AcquireAsync_NoBudget_NeverWaitsForRate()
    {
        var budget = new RequestBudget(null, _time);
        for (var i = 0; i < 1000; i++)
        {
            var acquire = budget.AcquireAsync(100, CancellationToken.None);
            Assert.That(acquire.IsCompleted, Is.True, "without a budget only a provider's rest delays a request");
            (await acquire).Answered();
        }
    }

    [Test]
    public async Task RateLimited_NothingSentBeforeRetryAfter_ThenOneRequestAloneUntilItIsAnswered()
    {
        var budget = new RequestBudget(null, _time);
        var refused = await budget.AcquireAsync(1, CancellationToken.None);
        refused.RateLimited(_time.GetUtcNow() + TimeSpan.FromSeconds(2));

        var first = budget.AcquireAsync(1, CancellationToken.None);
        var second = budget.AcquireAsync(1, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.That(first.IsCompleted || second.IsCompleted, Is.False, "nothing goes out before Retry-After is over");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var probe = await Task.WhenAny(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        var other = probe == first ? second : first;
        await Settle();
        Assert.That(other.IsCompleted, Is.False, "after the rest one request goes first, alone: no retry storm");

        (await probe).Answered();
        using var next = await other.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task RateLimited_ProbeRefusedAgain_OthersWaitForTheNewRest()
    {
        var budget = new RequestBudget(10, _time);
        (await budget.AcquireAsync(1, CancellationToken.None)).RateLimited(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        var probe = await budget.AcquireAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = budget.AcquireAsync(1, CancellationToken.None);

        probe.RateLimited(_time.GetUtcNow() + TimeSpan.FromSeconds(3));
        await Settle();
        Assert.That(waiting.IsCompleted, Is.False, "the probe's second 429 starts a new rest for everyone");
        _time.Advance(TimeSpan.FromSeconds(3));
        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Dispose_ProbeCancelledWithoutAnswer_NextRequestBecomesTheProbe()
    {
        var budget = new RequestBudget(null, _time);
        (await budget.AcquireAsync(1, CancellationToken.None)).RateLimited(_time.GetUtcNow());
        var probe = await budget.AcquireAsync(1, CancellationToken.None);
        var waiting = budget.AcquireAsync(1, CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False);

        probe.Dispose();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var third = budget.AcquireAsync(1, CancellationToken.None);
        await Settle();
        Assert.That(third.IsCompleted, Is.False, "an abandoned probe proved nothing: the next request is again the only one out");
        second.Answered();
        using var lease = await third.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void Constructor_ZeroBudget_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RequestBudget(0, _time));
}
