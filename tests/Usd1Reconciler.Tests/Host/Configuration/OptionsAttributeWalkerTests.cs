using System.ComponentModel.DataAnnotations;
using Range = System.ComponentModel.DataAnnotations.RangeAttribute;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Configuration;

/// <summary>The one walker that checks the attributes on the options types and names each problem by its key path.</summary>
public sealed class OptionsAttributeWalkerTests
{
    [Test]
    public void Validate_AllValid_NoProblems() =>
        Assert.That(OptionsAttributeWalker.Validate(new Root()), Is.Empty, "the defaults of the sample model are valid");

    [Test]
    public void Validate_NestedObject_KeyPathThroughTheSection()
    {
        var root = new Root();
        root.Section.Depth = 0;

        Assert.That(OptionsAttributeWalker.Validate(root), Is.EqualTo(new[] { "Section:Depth: must be at least 1 (was 0)" }));
    }

    [Test]
    public void Validate_ListOfObjects_KeyPathCarriesTheIndex()
    {
        var root = new Root { Items = [new Item(), new Item { Confirmations = 5000 }, new Item { Confirmations = -1 }] };

        Assert.That(OptionsAttributeWalker.Validate(root), Is.EqualTo(new[]
        {
            "Items:1:Confirmations: must be between 0 and 1000 (was 5000)",
            "Items:2:Confirmations: must be between 0 and 1000 (was -1)",
        }));
    }

    [Test]
    public void Validate_AttributeOnAListOfScalars_JudgesEachElementByIndex()
    {
        var root = new Root { Urls = ["http://ok", "ftp://secret-key@host", "https://fine"] };

        Assert.That(OptionsAttributeWalker.Validate(root), Is.EqualTo(new[] { "Urls:1: not an absolute http(s) URL" }),
            "the URL may embed an API key, so it is not echoed");
    }

    [Test]
    public void Validate_MinLengthOnAList_JudgesTheListItself()
    {
        var root = new Root { Urls = [] };

        Assert.That(OptionsAttributeWalker.Validate(root), Is.EqualTo(new[] { "Urls: at least one value is required" }));
    }

    [Test]
    public void Validate_AttributeOnADictionary_JudgesEachValueByItsKey()
    {
        var root = new Root();
        root.Quotas["0xabc"] = "12.5";

        Assert.That(OptionsAttributeWalker.Validate(root).Single(), Does.StartWith("Quotas:0xabc: amount '12.5' is not a base-10 unsigned integer"));
    }

    [Test]
    public void Validate_PropertyWithoutAttribute_LeftAlone()
    {
        var root = new Root { Free = -42 };
        root.Section.Note = "anything at all";

        Assert.That(OptionsAttributeWalker.Validate(root), Is.Empty, "only attributes make rules; a bare property is not judged");
    }

    [TestCase(nameof(Leaf.Name), "Leaf:Name: required")]
    [TestCase(nameof(Leaf.Code), "Leaf:Code: must be two capital letters (was 'abc')")]
    [TestCase(nameof(Leaf.Pattern), "Leaf:Pattern: must match ^x+$ (was 'y')")]
    [TestCase(nameof(Leaf.Count), "Leaf:Count: must not be negative (was -3)")]
    [TestCase(nameof(Leaf.Timeout), "Leaf:Timeout: must be positive (was 00:00:00)")]
    [TestCase(nameof(Leaf.Skew), "Leaf:Skew: must not be negative (was -00:00:01)")]
    [TestCase(nameof(Leaf.Interval), "Leaf:Interval: must be at least 00:01:00, as it is costly (was 00:00:30)")]
    [TestCase(nameof(Leaf.Window), "Leaf:Window: must be between 00:01:00 and 01:00:00 (was 02:00:00)")]
    [TestCase(nameof(Leaf.MaxMint), "Leaf:MaxMint: amount exceeds 2^256-1 (amounts are strings of base units)")]
    [TestCase(nameof(Leaf.Token), "Leaf:Token: must be 0x followed by 40 hex digits (was '0x12')")]
    [TestCase(nameof(Leaf.Mint), "Leaf:Mint: must be a base58 address (32-44 characters, no 0, O, I or l) (was 'O0Il')")]
    [TestCase(nameof(Leaf.Url), "Leaf:Url: not an absolute http(s) URL")]
    [TestCase(nameof(Leaf.Cron), "Leaf:Cron: must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week) (was '* * * * *')")]
    [TestCase(nameof(Leaf.Listen), "Leaf:Listen: '127.0.0.1' is not host:port")]
    public void Validate_EachAttributeKind_OneLineNamingTheKey(string property, string expected)
    {
        var root = new Root();
        Break(root.Leaf, property);

        Assert.That(OptionsAttributeWalker.Validate(root), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Validate_ValueFromASecretFile_NotEchoed()
    {
        var root = new Root();
        root.Leaf.Code = "sk-live-123";

        var problem = OptionsAttributeWalker.Validate(root, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "leaf:code" }).Single();

        Assert.That(problem, Is.EqualTo("Leaf:Code: must be two capital letters"), "a secret never reaches a message, even when malformed");
    }

    [Test]
    public void Validate_AbsentOptionalValues_Pass()
    {
        var root = new Root();
        root.Leaf.Token = null;
        root.Leaf.Mint = null;
        root.Leaf.MaxMint = null;
        root.Leaf.Url = "";
        root.Leaf.Listen = "";

        Assert.That(OptionsAttributeWalker.Validate(root), Is.Empty, "an option that must be given says so with [Required] or in code");
    }

    private static void Break(Leaf leaf, string property)
    {
        switch (property)
        {
            case nameof(Leaf.Name): leaf.Name = " "; break;
            case nameof(Leaf.Code): leaf.Code = "abc"; break;
            case nameof(Leaf.Pattern): leaf.Pattern = "y"; break;
            case nameof(Leaf.Count): leaf.Count = -3; break;
            case nameof(Leaf.Timeout): leaf.Timeout = TimeSpan.Zero; break;
            case nameof(Leaf.Skew): leaf.Skew = TimeSpan.FromSeconds(-1); break;
            case nameof(Leaf.Interval): leaf.Interval = TimeSpan.FromSeconds(30); break;
            case nameof(Leaf.Window): leaf.Window = TimeSpan.FromHours(2); break;
            case nameof(Leaf.MaxMint): leaf.MaxMint = new string('9', 78); break;
            case nameof(Leaf.Token): leaf.Token = "0x12"; break;
            case nameof(Leaf.Mint): leaf.Mint = "O0Il"; break;
            case nameof(Leaf.Url): leaf.Url = "/relative?key=secret"; break;
            case nameof(Leaf.Cron): leaf.Cron = "* * * * *"; break;
            case nameof(Leaf.Listen): leaf.Listen = "127.0.0.1"; break;
            default: throw new ArgumentOutOfRangeException(nameof(property), property, "no way to break it");
        }
    }

    private sealed class Root
    {
        public SectionOptions Section { get; set; } = new();

        public Leaf Leaf { get; set; } = new();

        public List<Item> Items { get; set; } = [new()];

        [MinLength(1)]
        [HttpUrl]
        public List<string> Urls { get; set; } = ["http://127.0.0.1:8545"];

        [BaseUnits]
        public Dictionary<string, string> Quotas { get; set; } = new() { ["0x1"] = "100" };

        public int Free { get; set; }
    }

    private sealed class SectionOptions
    {
        [Range(1, int.MaxValue)]
        public int Depth { get; set; } = 3;

        public string? Note { get; set; }
    }

    private sealed class Item
    {
        [Range(0, 1000)]
        public int? Confirmations { get; set; }
    }

    private sealed class Leaf
    {
        [Required]
        public string Name { get; set; } = "n";

        [RegularExpression("^[A-Z]{2}$", ErrorMessage = "must be two capital letters")]
        public string Code { get; set; } = "AB";

        [RegularExpression("^x+$")]
        public string Pattern { get; set; } = "xx";

        [Range(0, long.MaxValue)]
        public long Count { get; set; }

        [PositiveDuration]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

        [DurationRange("00:00:00")]
        public TimeSpan Skew { get; set; }

        [DurationRange("00:01:00", Reason = "as it is costly")]
        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

        [DurationRange("00:01:00", Maximum = "01:00:00")]
        public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

        [BaseUnits]
        public string? MaxMint { get; set; } = "1000000";

        [EvmAddress]
        public string? Token { get; set; } = "0x1111111111111111111111111111111111111111";

        [Base58Address]
        public string? Mint { get; set; } = "So11111111111111111111111111111111111111112";

        [HttpUrl]
        public string? Url { get; set; } = "https://custodian.example/reserves";

        [QuartzCron]
        public string Cron { get; set; } = "0 * * ? * *";

        [ListenAddress]
        public string Listen { get; set; } = "127.0.0.1:9464";
    }
}
