namespace Usd1Reconciler.Bench;

/// <summary>
/// The benchmarks' anvil: Usd1Reconciler.Devnet's <see cref="AnvilProcess"/> (the repository's one anvil launcher)
/// with what the benchmarks measure on top — its CPU time — and their start arguments: a raised gas limit, an
/// optional state file and five minutes to load it.
/// </summary>
internal static class AnvilProcessBenchExtensions
{
    extension(AnvilProcess)
    {
        /// <param name="loadState">A state file dumped earlier (--load-state), or null for an empty chain.</param>
        /// <param name="extra">Further anvil arguments, e.g. --chain-id 31338 --block-time 1.</param>
        public static Task<AnvilProcess> StartAsync(string? loadState, IReadOnlyList<string>? extra = null) =>
            AnvilProcess.StartAsync(
                BenchEnvironment.Devnet,
                new AnvilOptions
                {
                    Name = "anvil (bench)",
                    GasLimit = 1_000_000_000,
                    LoadState = loadState,
                    ExtraArguments = extra ?? [],
                    ReadyTimeout = TimeSpan.FromMinutes(5),
                },
                CancellationToken.None);
    }

    extension(AnvilProcess anvil)
    {
        /// <summary>CPU time anvil has used so far (null once it is gone).</summary>
        public TimeSpan? CpuUsed => ProcessCpu.Used(anvil.Pid);
    }
}
