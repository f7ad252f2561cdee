using System.Numerics;
using System.Text;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

public sealed partial class EvmIndexer
{
    // EIP-1967: keccak256("eip1967.proxy.implementation") − 1 and keccak256("eip1967.proxy.admin") − 1.
    internal const string ImplementationSlot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
    internal const string AdminSlot = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103";

    // A proof at a final block already proven is repeated at most this often: silent changes show up in a new block,
    // which moves the final block, so a repeat only refreshes the age of the proof.
    private static readonly TimeSpan GovernanceProofRefresh = TimeSpan.FromSeconds(60);

    private static readonly string OwnerSelector = Selector("owner()");
    private static readonly string PausedSelector = Selector("paused()");
    private static readonly string HasRoleSelector = Selector("hasRole(bytes32,address)");
    private static readonly string IsMinterSelector = Selector("isMinter(address)");
    private static readonly string MinterAllowanceSelector = Selector("minterAllowance(address)");

    private (long Block, DateTimeOffset At)? _lastGovernanceProof;

    /// <summary>Every topic0 of one eth_getLogs: supply, standard governance and the declared events, in one OR filter.</summary>
    private IReadOnlyList<string> LogTopics { get; set; } = [];

    private IReadOnlyList<string> BuildLogTopics() =>
        [.. EventTopics.All, .. GovernanceEventTopics.All, .. _settings.DeclaredEvents?.Topics ?? []];

    /// <summary>
    /// The governance proof at <paramref name="finalBlock"/>: the state folded from the final changes against owner(),
    /// paused(), hasRole, isMinter/minterAllowance and the EIP-1967 slots read at that block, for every address the
    /// events or the policy know. Stored (with the state hash) when the indexer was given a governance store; a read that fails makes
    /// the proof stale, never ok.
    /// </summary>
    private async Task ProveGovernanceAsync(long finalBlock, CancellationToken cancellationToken)
    {
        if (_governance is not { } governance)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_lastGovernanceProof is { } last && last.Block == finalBlock && now - last.At < GovernanceProofRefresh)
        {
            return;
        }

        if (finalBlock < 0)
        {
            // Nothing is final yet, so nothing can be proven; the stale reading still says a pass has completed, which
            // lets the screener judge the (unfinal) state against the policy.
            await governance.RecordGovernanceProofAsync(
                new GovernanceProofReading(Network, finalBlock, GovernanceProofStatus.Stale, [], GovernanceFold.Fold(Network, []).State.ComputeHash(), now, "no final block yet"),
                cancellationToken);
            _lastGovernanceProof = (finalBlock, now);
            return;
        }

        var changes = await governance.GetGovernanceChangesAsync(Network, cancellationToken);
        var state = GovernanceFold.FoldThrough(Network, changes.Where(c => c.IsFinal), finalBlock);
        GovernanceProofReading reading;
        try
        {
            var view = await ReadGovernanceViewAsync(state, finalBlock, cancellationToken);
            var differences = GovernanceProof.Compare(state, view);
            reading = new GovernanceProofReading(Network, finalBlock, differences.Count == 0 ? GovernanceProofStatus.Ok : GovernanceProofStatus.Mismatch, differences, state.ComputeHash(), now);
            if (differences.Count > 0)
            {
                _logger.LogError(
                    "network {Network}: governance proof mismatch at block {Block}: {Differences}",
                    Network, finalBlock, string.Join("; ", differences.Select(d => $"{d.Subject} folded {d.Folded}, chain {d.Chain}")));
            }
        }
        catch (Exception ex) when (ex is RpcException or RpcUnavailableException)
        {
            _logger.LogWarning("network {Network}: governance proof at block {Block} could not be read: {Reason}", Network, finalBlock, ex.Message);
            reading = new GovernanceProofReading(Network, finalBlock, GovernanceProofStatus.Stale, [], state.ComputeHash(), now, ex.Message);
        }

        await governance.RecordGovernanceProofAsync(reading, cancellationToken);
        _lastGovernanceProof = (finalBlock, now);
    }

    private async Task<GovernanceChainView> ReadGovernanceViewAsync(GovernanceState state, long block, CancellationToken cancellationToken)
    {
        var watch = _settings.GovernanceWatch;
        var owner = await TryCallAsync(OwnerSelector, block, cancellationToken);
        var paused = await TryCallAsync(PausedSelector, block, cancellationToken);
        var implementation = await _rpc.eth_getStorageAt(_token, ImplementationSlot, block, cancellationToken);
        var admin = await _rpc.eth_getStorageAt(_token, AdminSlot, block, cancellationToken);

        var roles = state.Roles.Keys.Concat(watch?.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        var accounts = state.Roles.Values.SelectMany(h => h).Concat(watch?.Accounts ?? []).Distinct(StringComparer.Ordinal).ToList();
        var membership = new Dictionary<(string, string), bool>();
        foreach (var (role, account) in roles.SelectMany(r => accounts.Select(a => (r, a))))
        {
            var word = await TryCallAsync(HasRoleSelector + role[2..] + Pad(account), block, cancellationToken);
            if (word is null)
            {
                // No hasRole on this token: roles are known from events only.
                membership.Clear();
                break;
            }

            membership[(role, account)] = !new BigInteger(word, isUnsigned: true, isBigEndian: true).IsZero;
        }

        var minters = new Dictionary<string, (bool, BigInteger)>(StringComparer.Ordinal);
        foreach (var minter in state.Minters.Keys.Concat(watch?.Minters ?? []).Distinct(StringComparer.Ordinal))
        {
            var isMinter = await TryCallAsync(IsMinterSelector + Pad(minter), block, cancellationToken);
            var allowance = await TryCallAsync(MinterAllowanceSelector + Pad(minter), block, cancellationToken);
            if (isMinter is null || allowance is null)
            {
                break;
            }

            minters[minter] = (!new BigInteger(isMinter, isUnsigned: true, isBigEndian: true).IsZero, new BigInteger(allowance, isUnsigned: true, isBigEndian: true));
        }

        return new GovernanceChainView(block)
        {
            Owner = owner is null ? null : NoneIfZero(AddressOf(owner)),
            OwnerRead = owner is not null,
            Paused = paused is null ? null : !new BigInteger(paused, isUnsigned: true, isBigEndian: true).IsZero,
            Implementation = NoneIfZero("0x" + implementation[26..]),
            ImplementationRead = true,
            ProxyAdmin = NoneIfZero("0x" + admin[26..]),
            ProxyAdminRead = true,
            RoleMembership = membership,
            Minters = minters,
        };
    }

    /// <summary>An eth_call at <paramref name="block"/> returning one 32-byte word, or null when the token has no such function (the call reverts or returns nothing).</summary>
    private async Task<byte[]?> TryCallAsync(string data, long block, CancellationToken cancellationToken)
    {
        byte[] reply;
        try
        {
            reply = await _rpc.eth_call(_token, data, block, cancellationToken);
        }
        catch (JsonRpcErrorException ex) when (ProviderErrors.SaysReverted(ex.Code, ex.RpcMessage))
        {
            return null;
        }

        return reply.Length == 32 ? reply : null;
    }

    private static string Selector(string signature) => "0x" + Convert.ToHexStringLower(EventTopics.Keccak256(Encoding.ASCII.GetBytes(signature)).AsSpan(0, 4));

    private static string Pad(string address) => new string('0', 24) + address[2..];

    private static string AddressOf(byte[] word) => "0x" + Convert.ToHexStringLower(word.AsSpan(12));

    private static string? NoneIfZero(string address) => address == "0x0000000000000000000000000000000000000000" ? null : address;
}
