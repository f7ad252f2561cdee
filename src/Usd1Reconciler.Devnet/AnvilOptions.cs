namespace Usd1Reconciler.Devnet;

/// <summary>How to start one anvil (see <see cref="AnvilProcess"/>).</summary>
public sealed record AnvilOptions
{
    /// <summary>Shown in messages and process lists, e.g. "anvil (anvil-1)".</summary>
    public string Name { get; init; } = "anvil";

    /// <summary>--chain-id; null leaves anvil's default (31337).</summary>
    public long? ChainId { get; init; }

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// --cache-path: without one anvil writes per-block state under ~/.foundry, seen reaching gigabytes. Null gives a
    /// private temp folder, deleted when the anvil is disposed; a given folder is created and left to its owner.
    /// </summary>
    public string? CachePath { get; init; }

    /// <summary>--gas-limit; tests and benchmarks raise it (1e9) so one transaction can emit 100k logs. Null: anvil's default.</summary>
    public long? GasLimit { get; init; }

    /// <summary>--load-state: a state file dumped earlier (not gzip).</summary>
    public string? LoadState { get; init; }

    /// <summary>Further arguments as anvil takes them (e.g. --block-time 1).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long anvil may take to answer eth_chainId (loading a large state file takes a while).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
