using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteFileHeaderTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-header-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private byte[] SoundStore()
    {
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        SqliteConnection.ClearAllPools();
        return File.ReadAllBytes(DbPath);
    }

    [Test]
    public void Check_StoreJustCreated_Accepted()
    {
        SoundStore();

        Assert.DoesNotThrow(() => SqliteFileHeader.Check(DbPath));
    }

    [Test]
    public void Check_MissingOrEmptyFile_AcceptedBecauseSqliteCreatesIt()
    {
        Assert.DoesNotThrow(() => SqliteFileHeader.Check(DbPath), "no file yet: the open creates the store");
        File.WriteAllBytes(DbPath, []);
        Assert.DoesNotThrow(() => SqliteFileHeader.Check(DbPath), "an empty file is what SQLite makes before its first write");
    }

    [Test]
    public void Check_WrongMagic_RefusedNamingTheFile()
    {
        var bytes = SoundStore();
        bytes[0] = (byte)'X';
        File.WriteAllBytes(DbPath, bytes);

        var ex = Assert.Throws<StoreSchemaException>(() => SqliteFileHeader.Check(DbPath));

        Assert.That(ex!.Message, Does.Contain(DbPath).And.Contain("not an SQLite database"));
    }

    [TestCase((ushort)0, TestName = "Check_PageSizeZero_RefusedAsDamagedHeader")]
    [TestCase((ushort)1000, TestName = "Check_PageSizeNotAPowerOfTwo_RefusedAsDamagedHeader")]
    [TestCase((ushort)256, TestName = "Check_PageSizeBelowMinimum_RefusedAsDamagedHeader")]
    public void Check_ImpossiblePageSize_RefusedAsDamagedHeader(ushort pageSize)
    {
        var bytes = SoundStore();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16, 2), pageSize);
        File.WriteAllBytes(DbPath, bytes);

        var ex = Assert.Throws<StoreSchemaException>(() => SqliteFileHeader.Check(DbPath));

        Assert.That(ex!.Message, Does.Contain("damaged header").And.Contain($"page size {pageSize}"));
    }

    [Test]
    public void Check_TruncatedFile_RefusedWithoutReadingItsPages()
    {
        var bytes = SoundStore();
        File.WriteAllBytes(DbPath, bytes[..^100]);

        var ex = Assert.Throws<StoreSchemaException>(() => SqliteFileHeader.Check(DbPath));

        Assert.That(ex!.Message, Does.Contain("truncated").And.Contain($"{bytes.Length - 100} bytes"), "a copy cut short is caught from its length alone");
    }
}
