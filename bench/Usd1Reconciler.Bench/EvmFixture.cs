using System.Globalization;

namespace Usd1Reconciler.Bench;

/// <summary>The anvil state made by bench/fixtures/make-evm-fixture.sh and the facts it recorded beside it.</summary>
internal sealed record EvmFixture(string StatePath, string Token, long ChainId, long FirstBlock, long Head, long Events, long Mints, long Burns, string Supply)
{
    /// <summary>Loads the cached fixture of <paramref name="events"/> events, generating it first when it is missing.</summary>
    public static EvmFixture Ensure(long events)
    {
        var directory = BenchEnvironment.CacheDirectory;
        var state = Path.Combine(directory, $"evm-{events}.json");
        var env = Path.Combine(directory, $"evm-{events}.env");
        if (!File.Exists(state) || !File.Exists(env))
        {
            Console.WriteLine($"generating the EVM fixture ({events} events) with bench/fixtures/make-evm-fixture.sh …");
            BenchEnvironment.Run("bash", [Path.Combine(BenchEnvironment.Repo, "bench/fixtures/make-evm-fixture.sh"), directory, events.ToString(CultureInfo.InvariantCulture)]);
        }

        var values = File.ReadLines(env).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        long Number(string key) => long.Parse(values[key], CultureInfo.InvariantCulture);
        return new EvmFixture(state, values["TOKEN"], Number("CHAIN_ID"), Number("FIRST_BLOCK"), Number("HEAD"), Number("EVENTS"), Number("MINTS"), Number("BURNS"), values["SUPPLY"]);
    }
}
