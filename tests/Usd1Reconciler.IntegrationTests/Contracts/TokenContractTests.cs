using System.Diagnostics;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Contracts;

/// <summary>The committed token artifacts are what the sources compile to, and the forge test suite passes.</summary>
[TestFixture]
[Category("Integration")]
public sealed class TokenContractTests
{
    private static async Task<(int Exit, string Output)> RunScriptAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Test]
    public async Task CommittedArtifacts_MatchAFreshCompile()
    {
        var (exit, output) = await RunScriptAsync(Path.Combine(RepoPaths.Contracts, "build.sh"), "--check");
        Assert.That(exit, Is.Zero, "contracts/artifacts must be rebuilt with contracts/build.sh after a source change:\n" + output);
    }

    [Test]
    public async Task ForgeTestSuite_Passes()
    {
        var (exit, output) = await RunScriptAsync(Path.Combine(RepoPaths.Contracts, "test.sh"));
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("0 failed"));
        TestContext.Out.WriteLine(output.Split('\n').LastOrDefault(l => l.Contains("tests passed", StringComparison.Ordinal)));
    }
}
