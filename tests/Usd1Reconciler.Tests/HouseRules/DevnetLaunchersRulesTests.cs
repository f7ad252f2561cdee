using System.Text;
using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issue 13.1): anvil, the Solana devnet (tools/devnet/solana/server.mjs), the SPL driver (driver.mjs),
/// forge and npm are started only by <c>src/Usd1Reconciler.Devnet</c> — the one set of launchers the demo, the
/// integration tests and the benchmarks share. A second launcher is how the repository came to have three anvil
/// starters that differed in how they stopped anvil (a node wrapper's death leaves anvil running) and in their ports.
/// Checked on the code of every C# file under src/, tests/ and bench/ outside that project, comments left out: no
/// string names a launcher's entry point (server.mjs, driver.mjs, the anvil or forge binary, node_modules/.bin), and no
/// process start (<c>new ProcessStartInfo("npm")</c>, <c>Process.Start("anvil")</c>, a helper <c>Run("forge", …)</c>, a
/// <c>FileName = "anvil"</c>) names anvil, forge, npm or npx. Other tools (dotnet usd1rec.dll, promtool, prometheus,
/// alertmanager, chromium, node with the browser script, cast, bash) stay allowed.
/// </summary>
public sealed partial class DevnetLaunchersRulesTests
{
    private const string Rule = "house rule 'devnets start only through Usd1Reconciler.Devnet'";

    private const string DevnetProject = "src/Usd1Reconciler.Devnet/";

    /// <summary>This file: it spells the names it forbids, in its patterns and in the cases that prove them.</summary>
    private const string ThisFile = "tests/Usd1Reconciler.Tests/HouseRules/DevnetLaunchersRulesTests.cs";

    [Test]
    public void Sources_OutsideDevnetProject_StartNoDevnetTool()
    {
        var offences = new List<string>();
        foreach (var file in new[] { "src", "tests", "bench" }.SelectMany(SourceTree.CSharpFiles))
        {
            var relative = SourceTree.Relative(file);
            if (relative.StartsWith(DevnetProject, StringComparison.Ordinal) || relative == ThisFile)
            {
                continue;
            }

            var lines = CodeOnly(File.ReadAllText(file)).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (Offence(lines[i]) is { } what)
                {
                    offences.Add($"  {relative}:{i + 1}: {what}: {lines[i].Trim()}");
                }
            }
        }

        Assert.That(
            offences,
            Is.Empty,
            $"{Rule}: start anvil, the Solana devnet, the SPL driver, forge and npm with AnvilProcess, SolanaDevnetProcess, SplDriver and DevnetToolchain (extend them if an option is missing):\n" + string.Join("\n", offences));
    }

    [TestCase("        var server = StartNode([\"tools/devnet/solana/server.mjs\", \"--port\", \"0\"]);")]
    [TestCase("        BenchEnvironment.Run(\"node\", [\"tools/devnet/solana/driver.mjs\", \"--rpc\", rpc]);")]
    [TestCase("        var anvil = Path.Combine(Repo, \"tools/devnet/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil\");")]
    [TestCase("        var start = new ProcessStartInfo(\"npm\") { UseShellExecute = false };")]
    [TestCase("        using var forge = Process.Start(\"forge\", [\"build\"]);")]
    [TestCase("        await ChildRun.RunAsync( \"anvil\", [\"--port\", \"0\"]);")]
    [TestCase("        var start = new ProcessStartInfo { FileName = \"npx\" };")]
    [TestCase("        Exec(\"/usr/local/bin/forge\", args);")]
    public void Offence_LaunchingLine_IsFound(string line)
    {
        Assert.That(Offence(line), Is.Not.Null, line);
    }

    [TestCase("        var run = await ChildRun.RunAsync(\"dotnet\", [BenchEnvironment.Usd1recDll, \"index\", \"--once\"]);")]
    [TestCase("        var start = new ProcessStartInfo(\"node\") { WorkingDirectory = RepoPaths.DevnetTools };")]
    [TestCase("        var process = ServerProcess.Start(Binary, [\"--config.file=prometheus.yml\"]);")]
    [TestCase("        Case(\"anvil\", -32000, \"BlockOutOfRangeError\", ProviderErrorKind.ChainMoved),")]
    [TestCase("        { \"Name\": \"anvil\", \"Kind\": \"Evm\", \"RpcUrls\": [\"{{node.Url}}\"] }")]
    [TestCase("        await using var anvil = await AnvilProcess.StartAsync(tools, options, ct);")]
    [TestCase("        var devnet = await SolanaDevnetProcess.StartAsync(tools, 32, TimeSpan.Zero, ct);")]
    public void Offence_LineThatLaunchesNoDevnetTool_IsNotFound(string line)
    {
        Assert.That(Offence(line), Is.Null, line);
    }

    [Test]
    public void CodeOnly_Comments_AreBlankedAndStringsAndLinesKept()
    {
        var code = CodeOnly("/// runs tools/devnet/solana/server.mjs\nvar url = \"http://a//b\"; // driver.mjs\n/* anvil-linux-amd64\n*/ var s = @\"x\"\"//\"\"\";\nvar c = '\"'; var t = \"server.mjs\";");
        var lines = code.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(5), "line numbers stay the source's");
            Assert.That(lines[0], Does.Not.Contain("server.mjs"));
            Assert.That(lines[1], Does.Contain("\"http://a//b\"").And.Not.Contain("driver.mjs"));
            Assert.That(lines[2], Does.Not.Contain("anvil"));
            Assert.That(lines[3], Does.Contain("@\"x\"\"//\"\"\""));
            Assert.That(lines[4], Does.Contain("\"server.mjs\""), "a string after a char literal holding a quote is still code");
        });
    }

    [Test]
    public void CodeOnly_RawStringWithCommentMarkers_IsKept()
    {
        var code = CodeOnly("var s = \"\"\"\n  // tools/devnet/solana/driver.mjs\n  \"\"\";\n// server.mjs");
        Assert.Multiple(() =>
        {
            Assert.That(code, Does.Contain("driver.mjs"), "text inside a raw string is code, not a comment");
            Assert.That(code, Does.Not.Contain("server.mjs"));
        });
    }

    /// <summary>What a line of code does that breaks the rule, or null.</summary>
    private static string? Offence(string code)
    {
        if (EntryPoint().Match(code) is { Success: true } entry)
        {
            return $"names the devnet launcher entry point '{entry.Value}'";
        }

        if (ToolStart().Match(code) is { Success: true } start)
        {
            return $"starts '{start.Groups["tool"].Value}' by name";
        }

        return ToolPath().Match(code) is { Success: true } path ? $"names the '{path.Groups["tool"].Value}' binary by path" : null;
    }

    /// <summary>
    /// The source with every comment (//, ///, /* */) replaced by spaces, newlines kept so line numbers stay true;
    /// strings (regular, verbatim, interpolated, raw) and char literals are code and kept as they are.
    /// </summary>
    private static string CodeOnly(string source)
    {
        var code = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    code.Append(' ');
                    i++;
                }
            }
            else if (c == '/' && next == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                foreach (var ch in source.AsSpan(i, end - i))
                {
                    code.Append(ch == '\n' ? '\n' : ' ');
                }

                i = end;
            }
            else if (c == '\'')
            {
                // A char literal: '"' must not open a string.
                var end = source.IndexOf('\'', i + (next == '\\' ? 3 : 2));
                end = end < 0 || end - i > 8 ? i + 1 : end + 1;
                code.Append(source, i, end - i);
                i = end;
            }
            else if (c == '"')
            {
                var end = StringEnd(source, i);
                code.Append(source, i, end - i);
                i = end;
            }
            else
            {
                code.Append(c);
                i++;
            }
        }

        return code.ToString();
    }

    /// <summary>The index just past the string literal whose opening quote is at <paramref name="start"/>.</summary>
    private static int StringEnd(string source, int start)
    {
        var quotes = 0;
        while (start + quotes < source.Length && source[start + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // Raw string: closed by the same run of quotes.
            var close = source.IndexOf(new string('"', quotes), start + quotes, StringComparison.Ordinal);
            return close < 0 ? source.Length : close + quotes;
        }

        if (quotes == 2)
        {
            return start + 2; // the empty string
        }

        var verbatim = start > 0 && (source[start - 1] == '@' || (start > 1 && source[start - 1] == '$' && source[start - 2] == '@'));
        for (var i = start + 1; i < source.Length; i++)
        {
            if (verbatim && source[i] == '"' && i + 1 < source.Length && source[i + 1] == '"')
            {
                i++;
            }
            else if (!verbatim && source[i] == '\\')
            {
                i++;
            }
            else if (source[i] == '"' || (!verbatim && source[i] == '\n'))
            {
                return i + 1;
            }
        }

        return source.Length;
    }

    /// <summary>The Solana devnet's and the SPL driver's scripts, the pinned anvil and forge packages, npm's wrappers.</summary>
    [GeneratedRegex(@"server\.mjs|driver\.mjs|anvil-linux-amd64|forge-linux-amd64|node_modules/\.bin")]
    private static partial Regex EntryPoint();

    /// <summary>A process start or a start/run helper whose first argument, or a FileName, is a devnet tool by name.</summary>
    [GeneratedRegex(@"(\b\w*(Start|Run|Exec)\w*\s*\(\s*|\bFileName\s*=\s*)@?""(?<tool>anvil|forge|npm|npx)""")]
    private static partial Regex ToolStart();

    /// <summary>A literal path to a devnet tool's binary (…/anvil, …/bin/forge).</summary>
    [GeneratedRegex(@"""[^""\n]*/(?<tool>anvil|forge|npm|npx)""")]
    private static partial Regex ToolPath();
}
