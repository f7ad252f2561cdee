using System.Buffers.Binary;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// The constant-time part of opening a store: the first 100 bytes of the file (SQLite's database header) and its
/// length, read before SQLite itself opens it. Catches a file that is not a database (wrong magic), a header that
/// is garbage (page size not a power of two in 512-65536) and a truncated copy (length not a whole number of pages)
/// without reading the rest of the file; damage deeper in the file is found by the full check (`usd1rec db check`,
/// the scheduled integrity job) or by SQLite when a read touches it.
/// </summary>
internal static class SqliteFileHeader
{
    private const int HeaderLength = 100;

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Throws <see cref="StoreSchemaException"/> naming the file when it exists, is not empty and is not a well-formed SQLite file.</summary>
    public static void Check(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return; // SQLite creates the database on first write
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
        {
            read = file.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        }

        if (read < HeaderLength || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw Damaged(path, "is damaged or not an SQLite database (it does not start with the SQLite header)");
        }

        // Bytes 16-17: page size, big-endian; 1 means 65536.
        var raw = BinaryPrimitives.ReadUInt16BigEndian(header[16..18]);
        var pageSize = raw == 1 ? 65536 : raw;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            throw Damaged(path, $"has a damaged header (page size {raw})");
        }

        // SQLite writes whole pages only, so a length that is not a multiple of the page size is a truncated file.
        if (info.Length % pageSize != 0)
        {
            throw Damaged(path, $"is truncated or damaged: {info.Length} bytes is not a whole number of {pageSize}-byte pages");
        }
    }

    private static StoreSchemaException Damaged(string path, string what) =>
        new($"store {path} {what}; restore it from a backup");
}
