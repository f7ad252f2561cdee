using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Tests.Solana.Indexing;

/// <summary>Signatures listed newest-first come back oldest-first, whole and exact, whether their pages stayed in memory or spilled to disk.</summary>
public sealed class SignatureSpoolTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 25, 9, 30, 15, 123, TimeSpan.Zero);

    /// <summary>Pages as getSignaturesForAddress gives them: newest first, slots going down, varied optional fields.</summary>
    private static List<SolanaSignatureInfo[]> Pages(int pages, int perPage)
    {
        var slot = 1_000_000L;
        var n = 0;
        var result = new List<SolanaSignatureInfo[]>();
        for (var p = 0; p < pages; p++)
        {
            var page = new SolanaSignatureInfo[perPage];
            for (var i = 0; i < perPage; i++, n++, slot -= n % 3)
            {
                page[i] = new SolanaSignatureInfo(
                    $"sig{n}-ü{new string('x', n % 90)}", slot, Failed: n % 7 == 0, n % 5 == 0 ? null : Time.AddTicks(n), n % 4 == 0 ? null : "confirmed");
            }

            result.Add(page);
        }

        return result;
    }

    [TestCase(1, 5, 10)]
    [TestCase(7, 3, 10)]
    [TestCase(7, 3, 1)]
    [TestCase(12, 100, 2)]
    public void OldestFirst_AcrossMemoryAndDisk_EveryEntryExactlyInReverse(int pages, int perPage, int pagesInMemory)
    {
        var listed = Pages(pages, perPage);
        using var spool = new SignatureSpool(pagesInMemory);
        foreach (var page in listed)
        {
            spool.Add(page);
        }

        var expected = listed.SelectMany(p => p).Reverse().ToList();
        Assert.That(spool.OldestFirst().ToList(), Is.EqualTo(expected));
        Assert.That(spool.Count, Is.EqualTo(expected.Count));
        Assert.That(spool.Spilled, Is.EqualTo(pages > pagesInMemory));
    }

    [Test]
    public void Add_AfterAReadAndEmptyPages_StillInOrder()
    {
        var listed = Pages(6, 4);
        using var spool = new SignatureSpool(1);
        spool.Add(listed[0]);
        spool.Add(listed[1]);
        spool.Add([]);
        Assert.That(spool.OldestFirst().Count(), Is.EqualTo(8), "reading a spilled page in between");
        foreach (var page in listed.Skip(2))
        {
            spool.Add(page);
        }

        Assert.That(spool.OldestFirst().ToList(), Is.EqualTo(listed.SelectMany(p => p).Reverse().ToList()));
    }

    [Test]
    public void Dispose_SpilledFile_Deleted()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "usd1rec-signatures-*.bin").ToHashSet();
        var spool = new SignatureSpool(1);
        foreach (var page in Pages(3, 10))
        {
            spool.Add(page);
        }

        var during = Directory.GetFiles(Path.GetTempPath(), "usd1rec-signatures-*.bin").Except(before).ToList();
        spool.Dispose();

        Assert.That(during, Has.Count.EqualTo(1), "the spilled pages went to one temporary file");
        Assert.That(File.Exists(during[0]), Is.False, "and it is gone once the pass is over");
    }

    [Test]
    public void Add_DirectoryGiven_SpillsThereAndCleansUp()
    {
        var directory = Directory.CreateTempSubdirectory("usd1rec-spool-").FullName;
        try
        {
            var listed = Pages(4, 3);
            using (var spool = new SignatureSpool(1, directory))
            {
                foreach (var page in listed)
                {
                    spool.Add(page);
                }

                Assert.That(Directory.GetFiles(directory, "usd1rec-signatures-*.bin"), Has.Length.EqualTo(1));
                Assert.That(spool.OldestFirst().ToList(), Is.EqualTo(listed.SelectMany(p => p).Reverse().ToList()));
            }

            Assert.That(Directory.GetFiles(directory), Is.Empty);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Constructor_NoPagesInMemory_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignatureSpool(0));
}
