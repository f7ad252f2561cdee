using Usd1Reconciler.Evm.Indexing;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>How eth_getLogs ranges are sized from the answers: grown on sparse stretches, shrunk on dense ones, halved at a limit.</summary>
public sealed class LogRangeSizerTests
{
    [Test]
    public void Calibrated_BeforeAnyAnswer_FalseAndSizeIsTheSmallStart()
    {
        var sizer = new LogRangeSizer(10_000);

        Assert.That((sizer.Calibrated, sizer.Size), Is.EqualTo((false, 64)), "the first range is a small probe of the chain's density");
    }

    [Test]
    public void OnSuccess_EmptyRanges_DoubleThenStopAtTheMaximum()
    {
        var sizer = new LogRangeSizer(10_000);
        var sizes = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            sizer.OnSuccess(sizer.Size, 0);
            sizes.Add(sizer.Size);
        }

        Assert.That(sizes, Is.EqualTo(new[] { 128, 256, 512, 1024, 2048, 4096, 8192, 10_000, 10_000 }), "a sparse stretch reaches the configured maximum and stays there");
        Assert.That(sizer.Calibrated, Is.True);
    }

    [Test]
    public void OnSuccess_DenseRange_NextSizedFromThatRangesOwnDensity()
    {
        var sizer = new LogRangeSizer(10_000);
        sizer.OnSuccess(64, 32_000);

        Assert.That(sizer.Size, Is.EqualTo(20), "64 blocks held 32,000 logs: 20 blocks hold about the 10,000-log target");
    }

    [Test]
    public void OnSuccess_RangeNearTheTarget_SizeUnchanged()
    {
        var sizer = new LogRangeSizer(10_000);
        sizer.OnSuccess(64, 0);
        sizer.OnSuccess(128, 8_000);

        Assert.That(sizer.Size, Is.EqualTo(128));
    }

    [Test]
    public void OnLimit_RangeHitAProviderLimit_LaterRangesAtMostHalfOfIt()
    {
        var sizer = new LogRangeSizer(10_000);
        for (var i = 0; i < 8; i++)
        {
            sizer.OnSuccess(sizer.Size, 0);
        }

        sizer.OnLimit(10_000);
        Assert.That(sizer.Size, Is.EqualTo(5_000));
        sizer.OnLimit(8_000);
        Assert.That(sizer.Size, Is.EqualTo(4_000), "the smaller of the current size and half the range that failed");
        sizer.OnLimit(1);
        Assert.That(sizer.Size, Is.EqualTo(1), "never below one block");
    }

    [Test]
    public void OnSuccess_ScarceRequestsEmptyRange_NextRangeAtTheMaximumAtOnce()
    {
        var sizer = new LogRangeSizer(10_000, requestsAreScarce: true);
        sizer.OnSuccess(sizer.Size, 0);

        Assert.That(sizer.Size, Is.EqualTo(10_000), "with a request budget an empty 64-block answer does not double six more times to reach the cap");
    }

    [Test]
    public void OnSuccess_ScarceRequestsSparseRange_SizedToHalfTheTargetByDensity()
    {
        var sizer = new LogRangeSizer(100_000, requestsAreScarce: true);
        sizer.OnSuccess(64, 100);

        Assert.That(sizer.Size, Is.EqualTo(3_200), "100 logs in 64 blocks: 3,200 blocks hold about 5,000");
    }

    [Test]
    public void OnLimit_ScarceRequestsSplitPiece_LaterRangesKeepTheirSize()
    {
        var sizer = new LogRangeSizer(10_000, requestsAreScarce: true);
        sizer.OnSuccess(sizer.Size, 0);
        sizer.OnLimit(10_000);
        Assert.That(sizer.Size, Is.EqualTo(5_000), "a fresh range that hits a limit still halves the ranges after it");

        sizer.OnLimit(5_000, splitPiece: true);
        sizer.OnLimit(2_500, splitPiece: true);
        Assert.That(sizer.Size, Is.EqualTo(5_000), "halves of that range searching for its dense stretch do not shrink ranges elsewhere");
    }

    [Test]
    public void OnLimit_ScarceRequestsSingleBlockPiece_SizeDropsToOneBlock()
    {
        var sizer = new LogRangeSizer(10_000, requestsAreScarce: true);
        sizer.OnSuccess(sizer.Size, 0);
        sizer.OnLimit(1, splitPiece: true);

        Assert.That(sizer.Size, Is.EqualTo(1), "a single block cannot be split: the size must drop so the indexer stops asking it again");
    }

    [Test]
    public void OnLimit_LocalNodeSplitPiece_StillHalvesLaterRanges()
    {
        var sizer = new LogRangeSizer(10_000);
        for (var i = 0; i < 8; i++)
        {
            sizer.OnSuccess(sizer.Size, 0);
        }

        sizer.OnLimit(4_000, splitPiece: true);

        Assert.That(sizer.Size, Is.EqualTo(2_000), "without a budget every limit halves, as before");
    }
}
