using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

/// <summary>
/// The signatures of one pass, taken newest-first as getSignaturesForAddress pages them and given back oldest-first,
/// the order they are indexed in. A backfill of a mint with years of history lists millions of signatures before it
/// can index the first; the first pages stay in memory and the rest go to a temporary file (deleted on dispose), so
/// memory holds a bounded number of pages however long the history is. The file goes where it is told — the daemon
/// puts it beside the store, on the data volume: a container's /tmp is often a small RAM-backed tmpfs (16 MB in our
/// compose file), too small for millions of signatures and no saving of memory anyway. Nothing here is durable: the file only
/// spares memory during the pass, and the store's tip decides where the next pass starts.
/// </summary>
internal sealed class SignatureSpool : IDisposable
{
    private readonly int _pagesInMemory;
    private readonly string _directory;
    private readonly List<SolanaSignatureInfo[]> _memory = [];
    private readonly List<(long Offset, int Count)> _spilled = [];
    private FileStream? _file;
    private BinaryWriter? _writer;

    /// <param name="pagesInMemory">Pages kept in memory before the rest spill to disk (at least 1).</param>
    /// <param name="directory">Where the spill file goes; null for the system's temporary directory.</param>
    public SignatureSpool(int pagesInMemory, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pagesInMemory);
        _pagesInMemory = pagesInMemory;
        _directory = directory ?? Path.GetTempPath();
    }

    public int Count { get; private set; }

    /// <summary>The slot of the newest signature added (the first page's first), −1 while empty.</summary>
    public long NewestSlot { get; private set; } = -1;

    /// <summary>Whether some pages are on disk.</summary>
    public bool Spilled => _spilled.Count > 0;

    /// <summary>Adds the next page, older than every page before it.</summary>
    public void Add(IReadOnlyList<SolanaSignatureInfo> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            NewestSlot = page[0].Slot;
        }

        Count += page.Count;
        if (_memory.Count < _pagesInMemory)
        {
            _memory.Add([.. page]);
            return;
        }

        if (_writer is null)
        {
            var path = Path.Combine(_directory, $"usd1rec-signatures-{Guid.NewGuid():N}.bin");
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        }

        _writer.Flush();
        _spilled.Add((_file!.Position, page.Count));
        foreach (var info in page)
        {
            _writer.Write(info.Signature);
            _writer.Write(info.Slot);
            _writer.Write(info.Failed);
            _writer.Write(info.BlockTime?.UtcTicks ?? long.MinValue);
            _writer.Write(info.ConfirmationStatus ?? string.Empty);
        }
    }

    /// <summary>Every signature added, oldest first; reads one spilled page at a time.</summary>
    public IEnumerable<SolanaSignatureInfo> OldestFirst()
    {
        _writer?.Flush();
        for (var p = _spilled.Count - 1; p >= 0; p--)
        {
            var page = ReadSpilled(_spilled[p]);
            for (var i = page.Length - 1; i >= 0; i--)
            {
                yield return page[i];
            }
        }

        for (var p = _memory.Count - 1; p >= 0; p--)
        {
            var page = _memory[p];
            for (var i = page.Length - 1; i >= 0; i--)
            {
                yield return page[i];
            }
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _file?.Dispose();
    }

    private SolanaSignatureInfo[] ReadSpilled((long Offset, int Count) page)
    {
        _file!.Position = page.Offset;
        using var reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        var infos = new SolanaSignatureInfo[page.Count];
        for (var i = 0; i < infos.Length; i++)
        {
            var signature = reader.ReadString();
            var slot = reader.ReadInt64();
            var failed = reader.ReadBoolean();
            var time = reader.ReadInt64();
            var status = reader.ReadString();
            infos[i] = new SolanaSignatureInfo(
                signature, slot, failed, time == long.MinValue ? null : new DateTimeOffset(time, TimeSpan.Zero), status.Length == 0 ? null : status);
        }

        // Writing resumes at the end if more pages come after a read.
        _file.Seek(0, SeekOrigin.End);
        return infos;
    }
}
