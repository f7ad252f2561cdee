using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Solana.Rpc;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Indexing;

/// <summary>
/// Invariant 9, decimals are immutable: each network's token decimals (and ERC-20 symbol) are read from the chain
/// once — at the first successful index pass or the first reconciliation that needs them — and stored with the
/// network's identity. Every figure in tokens or dollars uses the stored value, so an outage or a restart can never
/// make a base-unit amount pass for dollars. Later reads re-check the chain (once per process start, then every
/// <see cref="RecheckEvery"/>); a difference is recorded on the network (metric usd1_token_identity_mismatch, the
/// network's reconciliation input marked untrusted) and paged as anomaly TokenIdentityChanged. The stored value is
/// never replaced: a token that really changed scale needs an operator (runbook TokenIdentityChanged).
/// </summary>
internal sealed class TokenIdentityGuard(
    IReadOnlyList<NetworkOptions> networks,
    IIndexStore store,
    IAnomalyStore anomalies,
    AnomalyPaging paging,
    TimeSpan refreshAfter,
    HttpClient http,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private const string DecimalsSelector = "0x313ce567";
    private const string SymbolSelector = "0x95d89b41";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastChecked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _unreadable = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger("usd1rec.token");

    /// <summary>How often a network's stored identity is compared with the chain again. Default 10 min.</summary>
    public TimeSpan RecheckEvery { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The stored identity; when none is stored yet, read from the chain and recorded now. Null (with the reason)
    /// when it was never read and cannot be read now: the network then has no figure in tokens or dollars.
    /// </summary>
    public async Task<(TokenIdentity? Identity, string? Reason)> GetAsync(string network, CancellationToken cancellationToken)
    {
        if (await store.GetTokenIdentityAsync(network, cancellationToken) is { } stored)
        {
            return (stored, null);
        }

        var (recorded, reason) = await ReadAndRecordAsync(network, cancellationToken);
        return recorded is null
            ? (null, $"token decimals were never read from the chain ({reason}); no figure in tokens or dollars until they are")
            : (recorded, null);
    }

    /// <summary>
    /// After a successful pass: records the identity if none is stored, else re-checks it when due. Never throws for
    /// a chain that cannot answer (the pass succeeded; the check is tried again at the next pass).
    /// </summary>
    public async Task CheckAsync(string network, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = await store.GetTokenIdentityAsync(network, cancellationToken);
        if (stored is not null && _lastChecked.TryGetValue(network, out var last) && now - last < RecheckEvery)
        {
            return;
        }

        var (identity, reason) = await ReadAndRecordAsync(network, cancellationToken);
        if (identity is null)
        {
            // Once per network until a read succeeds, not once per pass: passes run every few seconds.
            if (_unreadable.TryAdd(network, reason ?? ""))
            {
                _logger.LogWarning("network {Network}: token decimals could not be read, tried again at each pass: {Reason}", network, reason);
            }
        }
        else if (_unreadable.TryRemove(network, out _))
        {
            _logger.LogInformation("network {Network}: token decimals read: {Decimals}", network, identity.Decimals);
        }
    }

    private async Task<(TokenIdentity? Stored, string? Reason)> ReadAndRecordAsync(string network, CancellationToken cancellationToken)
    {
        var options = networks.FirstOrDefault(n => n.Name == network);
        if (options is null)
        {
            return (null, "network not configured");
        }

        TokenIdentity read;
        try
        {
            read = await ReadChainAsync(options, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or RpcUnavailableException or FormatException or InvalidDataException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, ex.Message);
        }

        var now = time.GetUtcNow();
        var stored = await store.RecordTokenIdentityAsync(network, read, now, cancellationToken);
        if (stored is null)
        {
            return (null, "the network is not registered in the store yet (index it first)");
        }

        _lastChecked[network] = now;
        if (stored.Differences(read) is { } changed)
        {
            var detail = $"stored {Describe(stored)}, the chain now answers {Describe(read)} ({changed})";
            await store.RecordTokenIdentityMismatchAsync(network, changed, cancellationToken);
            var anomaly = SupplyAnomalyDetector.TokenIdentityChanged(network, changed, detail, now);
            if (await anomalies.RaiseConditionAsync(anomaly, refreshAfter, paging, now, cancellationToken) is not null)
            {
                _logger.LogCritical("anomaly {Rule} on {Network}: {Detail}; figures keep the stored decimals and the network's reconciliation input is untrusted", AnomalyRule.TokenIdentityChanged, network, detail);
            }
        }
        else
        {
            await store.RecordTokenIdentityMismatchAsync(network, null, cancellationToken);
            if (await anomalies.ResolveConditionAsync(AnomalyRule.TokenIdentityChanged, network, paging, now, cancellationToken) > 0)
            {
                _logger.LogInformation("anomaly {Rule} on {Network} resolved: the chain answers the stored {Identity} again", AnomalyRule.TokenIdentityChanged, network, Describe(stored));
            }
        }

        return (stored, null);
    }

    private async Task<TokenIdentity> ReadChainAsync(NetworkOptions n, CancellationToken cancellationToken)
    {
        var transport = new JsonRpcClient(http, n.Name, n.RpcUrls.Select(u => new Uri(u)).ToList(), n.RequestTimeout, loggers.CreateLogger<JsonRpcClient>());
        if (n.Kind == NetworkKind.Solana)
        {
            var supply = await new SolanaRpcClient(transport).getTokenSupply(n.Mint!, SolanaCommitment.Finalized, cancellationToken);
            return new TokenIdentity(supply.Decimals, null);
        }

        var rpc = new EvmRpcClient(transport);
        var head = await rpc.eth_blockNumber(cancellationToken);
        var word = await rpc.eth_call(n.Token!, DecimalsSelector, head, cancellationToken);
        if (word.Length != 32 || word.AsSpan(0, 31).IndexOfAnyExcept((byte)0) >= 0 || word[31] > TokenIdentity.MaxDecimals)
        {
            throw new FormatException($"token {n.Token} answered decimals() with {Convert.ToHexString(word)}, not a uint8 of at most {TokenIdentity.MaxDecimals}");
        }

        string? symbol;
        try
        {
            symbol = DecodeSymbol(await rpc.eth_call(n.Token!, SymbolSelector, head, cancellationToken));
        }
        catch (RpcException)
        {
            // symbol() is optional in ERC-20; the decimals alone fix the scale.
            symbol = null;
        }

        return new TokenIdentity(word[31], symbol);
    }

    /// <summary>symbol() as an ABI string (offset, length, bytes) or, for older tokens, a NUL-padded bytes32; null when neither.</summary>
    internal static string? DecodeSymbol(byte[] reply)
    {
        if (reply.Length >= 64 && reply.AsSpan(0, 31).IndexOfAnyExcept((byte)0) < 0 && reply[31] == 32
            && reply.AsSpan(32, 28).IndexOfAnyExcept((byte)0) < 0)
        {
            var length = (reply[60] << 24) | (reply[61] << 16) | (reply[62] << 8) | reply[63];
            return length >= 0 && length <= 64 && reply.Length >= 64 + length ? Encoding.UTF8.GetString(reply, 64, length) : null;
        }

        if (reply.Length == 32)
        {
            var text = Encoding.UTF8.GetString(reply).TrimEnd('\0');
            return text.Length > 0 && !text.Contains('\0', StringComparison.Ordinal) ? text : null;
        }

        return null;
    }

    private static string Describe(TokenIdentity identity) =>
        identity.Symbol is null ? $"{identity.Decimals} decimals" : $"{identity.Decimals} decimals, symbol '{identity.Symbol}'";
}
