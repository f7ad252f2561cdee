using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>The one paging rule both store providers store new anomalies by.</summary>
public sealed class AnomalyPagingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AnomalyPaging Paging = new(Cooldown: TimeSpan.FromMinutes(15), Lookback: TimeSpan.FromHours(1));

    private static Anomaly At(DateTimeOffset? occurredAt, string? actor = "0xactor", string? tx = "0xtx") =>
        new(AnomalyRule.OversizedMint, "ethereum", "page", "s", "d", 7, tx, actor, null, occurredAt, "fp");

    [Test]
    public void IsHistory_NoTimeOrOlderThanTheLookback_True_RecentEvidence_False()
    {
        Assert.That(Paging.IsHistory(At(null), Now), Is.True, "backfilled history has no time");
        Assert.That(Paging.IsHistory(At(Now - TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1)), Now), Is.True);
        Assert.That(Paging.IsHistory(At(Now - TimeSpan.FromHours(1)), Now), Is.False, "the lookback itself still pages");
        Assert.That(Paging.IsHistory(At(Now - TimeSpan.FromMinutes(5)), Now), Is.False);
    }

    [TestCase(true, false, true, "history", null)]
    [TestCase(true, true, true, "history", null)]
    [TestCase(false, true, true, "cooldown", null)]
    [TestCase(false, false, true, "queued", null)]
    [TestCase(false, false, false, "unpaged", AnomalyPaging.NoAlertmanagerNote)]
    [TestCase(false, true, false, "cooldown", null)]
    public void Decide_EachCase_StateAndNote(bool history, bool pagedWithinCooldown, bool alertmanager, string state, string? note)
    {
        var paging = Paging with { AlertmanagerConfigured = alertmanager };

        Assert.That(paging.Decide(history, pagedWithinCooldown), Is.EqualTo((state, note)));
    }

    [Test]
    public void DedupeKey_ActorFirstThenTransaction()
    {
        Assert.That(AnomalyPaging.DedupeKey(At(Now, actor: "0xa", tx: "0xt")), Is.EqualTo("OversizedMint|ethereum|0xa"));
        Assert.That(AnomalyPaging.DedupeKey(At(Now, actor: null, tx: "0xt")), Is.EqualTo("OversizedMint|ethereum|0xt"));
        Assert.That(AnomalyPaging.DedupeKey(At(Now, actor: null, tx: null)), Is.EqualTo("OversizedMint|ethereum|"));
    }
}
