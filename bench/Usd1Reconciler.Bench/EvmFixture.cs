using System.Globalization;

namespace Usd1Reconciler.Bench;

/// <summary>The anvil state made by bench/fixtures/make-evm-fixture.sh and the facts it recorded beside it.</summary>
internal sealed record EvmFixture(string StatePath, string Token, long ChainId, long FirstBlock, long Head, long Events, long Mints, long Burns, string Supply)
{
    /// <summary>
    /// Loads the cached fixture of <paramref name="events"/> events, generating it first when it is missing; the shape is
    /// <paramref name="logsPerTransaction"/> logs per transaction with <paramref name="gap"/> empty blocks after each.
    /// </summary>
    public static EvmFixture Ensure(long events, int logsPerTransaction = 10_000, int gap = 99)
    {
        var directory = BenchEnvironment.CacheDirectory;
        var suffix = logsPerTransaction == 10_000 && gap == 99 ? string.Empty : BenchEnvironment.Invariant($"-{logsPerTransaction}x{gap}");
        var state = Path.Combine(directory, $"evm-{events}{suffix}.json");
        var env = Path.Combine(directory, $"evm-{events}{suffix}.env");
        if (!File.Exists(state) || !File.Exists(env))
        {
            Console.WriteLine($"generating the EVM fixture ({events} events, {logsPerTransaction} logs per transaction, {gap} empty blocks after each) with bench/fixtures/make-evm-fixture.sh …");
            BenchEnvironment.Run("bash", [
                Path.Combine(BenchEnvironment.Repo, "bench/fixtures/make-evm-fixture.sh"), directory, events.ToString(CultureInfo.InvariantCulture),
                logsPerTransaction.ToString(CultureInfo.InvariantCulture), gap.ToString(CultureInfo.InvariantCulture)]);
        }

        var values = File.ReadLines(env).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        long Number(string key) => long.Parse(values[key], CultureInfo.InvariantCulture);
        return new EvmFixture(state, values["TOKEN"], Number("CHAIN_ID"), Number("FIRST_BLOCK"), Number("HEAD"), Number("EVENTS"), Number("MINTS"), Number("BURNS"), values["SUPPLY"]);
    }
}
