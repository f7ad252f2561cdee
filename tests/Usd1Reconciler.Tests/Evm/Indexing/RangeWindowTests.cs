using System.Text.Json;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>What the catch-up window may hold: bounded by bytes (issue 18.5), ranges in flight also by count.</summary>
public sealed class RangeWindowTests
{
    private const string Token = "0x00000000000000000000000000000000000000d1";

    [Test]
    public void MayStart_RangesOfBigLogs_HoldsFewerRangesThanOfPlainTransfers()
    {
        var window = new RangeWindow(RangeWindow.DefaultMaxBytesHeld, maxInFlight: 16);
        var plain = RangeWindow.Weigh(Logs(10_000, dataHexDigits: 64));
        var big = RangeWindow.Weigh(Logs(10_000, dataHexDigits: 1_024));

        var plainHeld = RangesHeld(window, plain);
        var bigHeld = RangesHeld(window, big);

        Assert.Multiple(() =>
        {
            Assert.That(bigHeld, Is.LessThan(plainHeld), "ranges of the same log count but bigger logs: fewer of them are held");
            Assert.That(bigHeld * big, Is.LessThanOrEqualTo(window.MaxBytesHeld), "big ranges stay within the byte bound");
            Assert.That(plainHeld * plain, Is.LessThanOrEqualTo(window.MaxBytesHeld), "plain ranges stay within the byte bound");
            Assert.That((plainHeld, bigHeld), Is.EqualTo((3, 1)), "20 MiB: three ranges of 10,000 Transfers (~6.4 MB each), one of 10,000 logs with 512 bytes of data (~16 MB)");
        });
    }

    [Test]
    public void MayStart_EmptyWindowAndOneRangeHeavierThanTheBound_AdmitsIt()
    {
        var window = new RangeWindow(1_000, maxInFlight: 4);

        Assert.Multiple(() =>
        {
            Assert.That(window.MayStart(0, 0, 0, expectedBytesPerRange: 50_000), Is.True, "an empty window always progresses");
            Assert.That(window.MayStart(1, 0, 0, expectedBytesPerRange: 50_000), Is.False, "but holds no second such range");
        });
    }

    [Test]
    public void MayStart_FetchedRangesWaitingForTheirCommit_DoNotTakePlacesInFlight()
    {
        var window = new RangeWindow(RangeWindow.DefaultMaxBytesHeld, maxInFlight: 7);

        Assert.Multiple(() =>
        {
            Assert.That(window.MayStart(inFlight: 6, fetched: 20, fetchedBytes: 20 * 1_000, expectedBytesPerRange: 1_000), Is.True, "small fetched ranges leave the places in flight to new requests");
            Assert.That(window.MayStart(inFlight: 7, fetched: 0, fetchedBytes: 0, expectedBytesPerRange: 0), Is.False, "the places in flight are capped by count");
            Assert.That(window.MayStart(inFlight: 3, fetched: RangeWindow.MaxRanges - 3, fetchedBytes: 0, expectedBytesPerRange: 0), Is.False, "and the whole window by its range count");
        });
    }

    [Test]
    public void MayStart_RangesInFlight_CountTheirExpectedWeight()
    {
        var window = new RangeWindow(10_000_000, maxInFlight: 16);

        Assert.Multiple(() =>
        {
            Assert.That(window.MayStart(inFlight: 2, fetched: 1, fetchedBytes: 4_000_000, expectedBytesPerRange: 2_000_000), Is.True, "4 MB held + 3 × 2 MB expected fits 10 MB");
            Assert.That(window.MayStart(inFlight: 3, fetched: 1, fetchedBytes: 4_000_000, expectedBytesPerRange: 2_000_000), Is.False, "4 MB held + 4 × 2 MB expected does not");
        });
    }

    [Test]
    public void Weigh_PlainTransferLog_WithinAFifthOfItsReplyText()
    {
        var logs = Logs(1, dataHexDigits: 64);
        var log = logs[0];
        // The log as a node's reply carries it (geth's member order and quantities).
        var text = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["address"] = log.Address,
            ["topics"] = log.Topics,
            ["data"] = log.Data,
            ["blockNumber"] = "0x98967f",
            ["transactionHash"] = log.TransactionHash,
            ["transactionIndex"] = "0x1",
            ["blockHash"] = log.BlockHash,
            ["logIndex"] = "0x2",
            ["removed"] = false,
        });

        Assert.That(RangeWindow.Weigh(logs), Is.InRange(text.Length * 0.8, text.Length * 1.2), $"reply text {text.Length} bytes");
    }

    [Test]
    public void Weigh_LogsWithMoreData_WeighMoreByTheirData()
    {
        Assert.That(RangeWindow.Weigh(Logs(10, dataHexDigits: 1_064)) - RangeWindow.Weigh(Logs(10, dataHexDigits: 64)), Is.EqualTo(10 * 1_000));
    }

    // Fetched ranges of one weight, one after another with nothing in flight, until the window refuses the next.
    private static int RangesHeld(RangeWindow window, long weight)
    {
        var held = 0;
        while (window.MayStart(0, held, held * weight, weight))
        {
            held++;
        }

        return held;
    }

    private static List<EvmLog> Logs(int count, int dataHexDigits)
    {
        var word = "0x" + new string('0', 24) + new string('a', 40);
        return Enumerable.Range(0, count)
            .Select(i => new EvmLog(
                Token,
                [EventTopics.Transfer, "0x" + new string('0', 64), word],
                "0x" + new string('1', dataHexDigits),
                1_000 + i,
                "0x" + new string('b', 64),
                "0x" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture),
                i,
                Removed: false))
            .ToList();
    }
}
