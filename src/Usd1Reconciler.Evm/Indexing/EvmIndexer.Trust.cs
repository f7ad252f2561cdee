using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

public sealed partial class EvmIndexer
{
    /// <summary>
    /// Probes every endpoint that is not resting (chain id, head, and the header of the stored final block in one
    /// batch) and trusts only those that serve the configured chain, agree with the final history already stored, and
    /// are within <see cref="EvmNetworkSettings.MaxHeadLag"/> of the best head. Data calls then go to trusted endpoints
    /// only, so a node on another chain or fork, or one still syncing, can neither write a foreign ledger nor cause a
    /// false reorg. When no endpoint can be trusted the pass fails with the reason; when every answering endpoint
    /// contradicts the stored final block, that is a real deep reorg and is raised as one.
    /// </summary>
    private async Task CheckEndpointsAsync(long? networkId, CancellationToken cancellationToken)
    {
        long? anchor = null;
        var anchorHash = string.Empty;
        if (networkId is { } id)
        {
            var finalBlock = await _store.GetFinalBlockAsync(id, cancellationToken);
            if (finalBlock >= _settings.StartBlock && await _store.GetNewestBlockAtOrBelowAsync(id, finalBlock, cancellationToken) is { } stored)
            {
                anchor = stored.Number;
                anchorHash = stored.Hash;
            }
        }

        var transport = _rpc.Transport;
        var probes = await Task.WhenAll(transport.Endpoints.Where(e => !transport.IsResting(e)).Select(async endpoint =>
        {
            try
            {
                var (chainId, head, block) = await _rpc.ProbeAsync(endpoint, anchor, cancellationToken);
                return new EndpointProbe(endpoint, chainId, head, block, null);
            }
            catch (RpcException ex)
            {
                return new EndpointProbe(endpoint, 0, 0, null, ex);
            }
        }));

        var failures = probes.Where(p => p.Failure is not null).Select(p => p.Failure!).ToList();
        ChainIdMismatchException? wrongChain = null;
        EvmBlock? otherFork = null;
        var candidates = new List<EndpointProbe>();
        foreach (var probe in probes.Where(p => p.Failure is null))
        {
            if (probe.ChainId != _settings.ChainId)
            {
                wrongChain ??= new ChainIdMismatchException(Network, probe.Endpoint.Label, _settings.ChainId, probe.ChainId);
                transport.MarkUntrusted(probe.Endpoint, $"reports chain id {probe.ChainId}, configured ChainId is {_settings.ChainId}");
            }
            else if (anchor is { } number && probe.Anchor is null)
            {
                transport.MarkUntrusted(probe.Endpoint, $"has no block {number}, final history already indexed (head {probe.Head}): still syncing");
            }
            else if (anchor is { } n && probe.Anchor!.Hash != anchorHash)
            {
                otherFork ??= probe.Anchor;
                transport.MarkUntrusted(probe.Endpoint, $"is on another fork: its block {n} is {probe.Anchor.Hash}, the final history indexed has {anchorHash}");
            }
            else
            {
                candidates.Add(probe);
            }
        }

        var best = candidates.Count == 0 ? 0 : candidates.Max(c => c.Head);
        var trusted = 0;
        foreach (var candidate in candidates)
        {
            if (best - candidate.Head > _settings.MaxHeadLag)
            {
                transport.MarkUntrusted(candidate.Endpoint, $"head {candidate.Head} is {best - candidate.Head} blocks behind the best endpoint's {best} (limit {_settings.MaxHeadLag})");
            }
            else
            {
                transport.MarkTrusted(candidate.Endpoint);
                trusted++;
            }
        }

        if (trusted > 0)
        {
            return;
        }

        if (otherFork is not null && candidates.Count == 0 && wrongChain is null)
        {
            var finalBlock = await _store.GetFinalBlockAsync(networkId!.Value, cancellationToken);
            throw new DeepReorganizationException(Network, finalBlock, anchor!.Value, anchorHash, otherFork.Hash);
        }

        if (wrongChain is not null && failures.Count == 0 && candidates.Count == 0)
        {
            throw wrongChain;
        }

        // The transport names every endpoint that is not healthy with its last real failure and when it is asked again:
        // with every endpoint resting nothing was probed, and the message must still say why.
        throw transport.Unavailable("endpoint check (eth_chainId, eth_blockNumber)", failures);
    }

    private sealed record EndpointProbe(RpcEndpoint Endpoint, long ChainId, long Head, EvmBlock? Anchor, RpcException? Failure);
}
