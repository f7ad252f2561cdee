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
}
