using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// Invariant 4: per network, the on-chain supply of the latest ledger proof in the store, minus the excluded holders'
/// balances read at that same block (EVM: balanceOf at the block) or slot (Solana: getTokenAccountBalance at
/// finalized, accepted only when its context slot equals the proof's slot — else the input is stale, because the
/// node cannot answer for a past slot). Any failure becomes the network's Problem, which makes the verdict Inconclusive.
/// Decimals come from the store (<see cref="TokenIdentityGuard"/>: read once, stored, re-checked), never from a read
/// that may fail: a network whose decimals were never read, or whose chain now answers other decimals than the stored
/// ones, is a Problem — its base units never pass for dollars.
/// </summary>
internal sealed class CirculatingSupplyReader(IReadOnlyList<NetworkOptions> networks, ISupplyStore store, TokenIdentityGuard tokens, HttpClient http, ILoggerFactory loggers)
{

    public async Task<IReadOnlyList<NetworkCirculation>> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await store.GetSupplyAsync(cancellationToken);
        var result = new List<NetworkCirculation>(networks.Count);
        foreach (var n in networks)
        {
            result.Add(await ReadNetworkAsync(n, stored.FirstOrDefault(s => s.Name == n.Name), now, cancellationToken));
        }

        return result;
    }

    /// <summary>
    /// Point-in-time mode: each network's circulating supply as it was at <paramref name="asOf"/>. EVM: the last block
    /// at or before that time (binary search of block timestamps, within the final part of the chain), its
    /// totalSupply() checked against Σ final events up to it, and the excluded balances at that block. Solana nodes do
    /// not serve balances or supply for past slots, so a Solana network is reported as an input that cannot be judged.
    /// </summary>
    public async Task<IReadOnlyList<NetworkCirculation>> ReadAtAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var stored = await store.GetSupplyAsync(cancellationToken);
        var result = new List<NetworkCirculation>(networks.Count);
        foreach (var n in networks)
        {
            var kind = n.Kind ?? NetworkKind.Evm;
            var supply = stored.FirstOrDefault(s => s.Name == n.Name);
            if (supply is null || supply.FinalBlock < 0)
            {
                result.Add(new NetworkCirculation(n.Name, kind, -1, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom, "nothing final indexed yet (index the network first)"));
                continue;
            }

            if (kind == NetworkKind.Solana)
            {
                result.Add(new NetworkCirculation(n.Name, kind, -1, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom,
                    $"point in time {asOf:O}: Solana RPC serves supply and balances for the current slot only, so supply at a past time cannot be proven"));
                continue;
            }

            try
            {
                result.Add(await ReadEvmAtAsync(n, supply, asOf, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Add(new NetworkCirculation(n.Name, kind, -1, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom, $"point in time {asOf:O}: {ex.Message}"));
            }
        }

        return result;
    }

    private async Task<NetworkCirculation> ReadEvmAtAsync(NetworkOptions n, NetworkSupply supply, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var rpc = new EvmRpcClient(Transport(n));
        var final = await rpc.eth_getBlockByNumber(supply.FinalBlock, cancellationToken)
            ?? throw new InvalidOperationException($"final block {supply.FinalBlock} is not on the chain");
        if (final.Timestamp < asOf)
        {
            // Blocks after the final one may still be replaced: supply at that time is not settled yet.
            return new NetworkCirculation(n.Name, NetworkKind.Evm, final.Number, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom,
                $"point in time {asOf:O} is after the final block {final.Number} ({final.Timestamp:O}); index further or wait for finality");
        }

        long low = n.StartBlock, high = supply.FinalBlock, block = n.StartBlock - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var header = await rpc.eth_getBlockByNumber(middle, cancellationToken) ?? throw new InvalidOperationException($"block {middle} is not on the chain");
            if (header.Timestamp <= asOf)
            {
                block = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (block < n.StartBlock)
        {
            return new NetworkCirculation(n.Name, NetworkKind.Evm, block, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom,
                $"point in time {asOf:O} is before the first indexed block {n.StartBlock}");
        }

        var onchain = await rpc.TotalSupplyAsync(n.Token!, block, cancellationToken);
        var indexed = await store.GetFinalSupplyAtAsync(supply.NetworkId, block, cancellationToken);
        var status = indexed == onchain.Value ? LedgerProofStatus.Ok : LedgerProofStatus.Mismatch;
        var (decimals, tokenProblem) = await DecimalsAsync(supply, cancellationToken);
        var (balances, problem) = await ReadEvmAsync(n, block, cancellationToken);
        return new NetworkCirculation(n.Name, NetworkKind.Evm, block, decimals, onchain, status, balances, n.BridgedFrom, tokenProblem ?? problem);
    }

    /// <summary>
    /// The stored decimals (recorded now if this is the first read), and why the network's figures cannot be judged
    /// when they are unknown (then 0 comes with a Problem, so no figure is made from it) or the chain disagrees.
    /// </summary>
    private async Task<(int Decimals, string? Problem)> DecimalsAsync(NetworkSupply supply, CancellationToken cancellationToken)
    {
        if (supply.TokenIdentityMismatch is { } changed)
        {
            return (supply.Token?.Decimals ?? 0, $"token identity changed on the chain ({changed}); figures are untrusted until an operator acts (anomaly TokenIdentityChanged)");
        }

        if (supply.Token is { } known)
        {
            return (known.Decimals, null);
        }

        var (identity, reason) = await tokens.GetAsync(supply.Name, cancellationToken);
        return identity is null ? (0, reason) : (identity.Decimals, null);
    }

    private async Task<NetworkCirculation> ReadNetworkAsync(NetworkOptions n, NetworkSupply? supply, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = n.Kind ?? NetworkKind.Evm;
        var proof = supply?.LatestProof;
        if (supply is null || proof is null)
        {
            return new NetworkCirculation(n.Name, kind, -1, 0, null, LedgerProofStatus.Stale, [], n.BridgedFrom, "no ledger proof in the store yet (index the network first)");
        }

        var status = LedgerProof.Evaluate(proof, supply.FinalBlock, now, n.StaleAfter, supply.FailingSince);
        // Decimals first, from the store: an outage below cannot take them away.
        var (decimals, tokenProblem) = await DecimalsAsync(supply, cancellationToken);
        try
        {
            var (balances, problem) = kind == NetworkKind.Solana
                ? await ReadSolanaAsync(n, proof.BlockNumber, decimals, cancellationToken)
                : await ReadEvmAsync(n, proof.BlockNumber, cancellationToken);
            return new NetworkCirculation(n.Name, kind, proof.BlockNumber, decimals, proof.OnchainSupply, status, balances, n.BridgedFrom, tokenProblem ?? problem);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger("usd1rec.reconcile").LogWarning("network {Network}: reading excluded balances failed: {Reason}", n.Name, ex.Message);
            return new NetworkCirculation(n.Name, kind, proof.BlockNumber, decimals, proof.OnchainSupply, status, [], n.BridgedFrom,
                tokenProblem ?? $"reading excluded balances at {proof.BlockNumber} failed: {ex.Message}");
        }
    }

    private async Task<(IReadOnlyList<HolderBalance> Balances, string? Problem)> ReadEvmAsync(NetworkOptions n, long block, CancellationToken cancellationToken)
    {
        var rpc = new EvmRpcClient(Transport(n));
        var balances = new List<HolderBalance>();
        foreach (var holder in n.ExcludedHolders)
        {
            balances.Add(new HolderBalance(holder.Address.ToLowerInvariant(), holder.Label, await rpc.BalanceOfAsync(n.Token!, holder.Address, block, cancellationToken)));
        }

        return (balances, null);
    }

    private async Task<(IReadOnlyList<HolderBalance> Balances, string? Problem)> ReadSolanaAsync(NetworkOptions n, long slot, int decimals, CancellationToken cancellationToken)
    {
        var rpc = new SolanaRpcClient(Transport(n));
        var balances = new List<HolderBalance>();
        foreach (var holder in n.ExcludedHolders)
        {
            var balance = await rpc.getTokenAccountBalance(holder.Address, SolanaCommitment.Finalized, cancellationToken);
            if (balance.Slot != slot)
            {
                return ([], $"balance of {holder.Label} ({holder.Address}) was read at slot {balance.Slot} but the ledger proof is at slot {slot}: stale, re-index first");
            }

            if (balance.Decimals != decimals)
            {
                // The account answers in another scale than the stored mint decimals: adding it would mix scales.
                return ([], $"balance of {holder.Label} ({holder.Address}) is reported with {balance.Decimals} decimals, the stored token identity has {decimals}");
            }

            balances.Add(new HolderBalance(holder.Address, holder.Label, balance.Amount));
        }

        return (balances, null);
    }

    private JsonRpcClient Transport(NetworkOptions n) =>
        new(http, n.Name, n.RpcUrls.Select(u => new Uri(u)).ToList(), n.RequestTimeout, loggers.CreateLogger<JsonRpcClient>());
}
