using System.Globalization;
using BenchmarkDotNet.Running;
using Usd1Reconciler.Bench;
using Usd1Reconciler.Bench.Micro;

// Benchmark programs for usd1rec; each prints its figures and the command that produced them. See docs/benchmarks.md.
var verb = args.Length > 0 ? args[0] : "help";
var options = args.Skip(1).ToList();
string Option(string name, string fallback)
{
    var at = options.IndexOf(name);
    return at >= 0 && at + 1 < options.Count ? options[at + 1] : fallback;
}

long Number(string name, long fallback) => long.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

Console.WriteLine($"command: dotnet run -c Release --project bench/Usd1Reconciler.Bench -- {string.Join(' ', args)}");
Console.WriteLine(BenchEnvironment.Invariant($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}"));
var rebuild = options.Contains("--rebuild");
switch (verb)
{
    case "evm-backfill":
        return await EvmBackfillBenchmark.RunAsync(
            Number("--events", 1_000_000), (int)Number("--raw-range", 200), (int)Number("--raw-parallelism", 4), rebuild, options.Contains("--dense"),
            Option("--compare", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries), (int)Number("--runs", 1), options.Contains("--pipeline-only"),
            BenchEnvironment.ChildEnvironment(options));
    case "rate-limited-backfill":
        return await RateLimitedBackfillBenchmark.RunAsync(options, rebuild);
    case "solana-backfill":
        return await SolanaBackfillBenchmark.RunAsync((int)Number("--mints", 7_000), (int)Number("--burns", 3_000), rebuild);
    case "live-latency":
        return await LiveLatencyBenchmark.RunAsync((int)Number("--mints", 30), TimeSpan.FromMilliseconds(Number("--poll-ms", 500)), rebuild);
    case "store-limit":
        return await StoreLimitBenchmark.RunAsync(Number("--events", 1_000_000), (int)Number("--batch", 10_000), options.Contains("--distinct-tx"), options.Contains("--old-key"));
    case "store-postgres":
        return await StorePostgresBenchmark.RunAsync(Number("--events", 1_000_000), (int)Number("--batch", 10_000), options.Contains("--connection-file") ? File.ReadAllText(Option("--connection-file", string.Empty)).Trim() : null);
    case "steady-memory":
        return await SteadyMemoryBenchmark.RunAsync(double.Parse(Option("--minutes", "10"), CultureInfo.InvariantCulture), options, rebuild);
    case "store-open":
        return await StoreOpenBenchmark.RunAsync(Number("--events", 10_000_000), Number("--tiny", 2_000), (int)Number("--runs", 7), rebuild);
    case "reconcile-latency":
        return await ReconciliationLatencyBenchmark.RunAsync(Number("--events", 10_000_000), (int)Number("--runs", 50));
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(options.ToArray());
        return 0;
    default:
        Console.WriteLine(
            """
            usage: dotnet run -c Release --project bench/Usd1Reconciler.Bench -- <verb> [options]
              evm-backfill      [--events 1000000] [--raw-range 200] [--raw-parallelism 4] [--rebuild]
                                [--dense] [--compare other/usd1rec.dll|env:DOTNET_X=Y;...,...] [--runs 1] [--pipeline-only] [--env DOTNET_NAME=VALUE]...
              rate-limited-backfill [--rps 25] [--latency-ms 80] [--events 250000] [--clustered 150000] [--runs 1]
                                [--baseline-dll path/usd1rec.dll] [--variants baseline,baseline-budget,unbudgeted,budget] [--rebuild]
                                [--env DOTNET_NAME=VALUE]... [--timeline path-prefix] [--block-timestamp]
              solana-backfill   [--mints 7000] [--burns 3000] [--rebuild]
              live-latency      [--mints 30] [--poll-ms 500] [--rebuild]
              store-limit       [--events 1000000] [--batch 10000] [--distinct-tx]
              store-postgres    [--events 1000000] [--batch 10000] [--connection-file file-holding-a-connection-string]
              reconcile-latency [--events 10000000] [--runs 50]
              store-open        [--events 10000000] [--tiny 2000] [--runs 7] [--rebuild]
              steady-memory     [--minutes 10] [--env DOTNET_NAME=VALUE]... [--rebuild]
              micro             [BenchmarkDotNet options, e.g. --filter *]
            """);
        return verb == "help" ? 0 : 2;
}
