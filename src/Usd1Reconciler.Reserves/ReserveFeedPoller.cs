using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Reserves.Authentication;
using Usd1Reconciler.Reserves.Feeds;
using Usd1Reconciler.Reserves.Parsing;

namespace Usd1Reconciler.Reserves;

/// <summary>
/// One poll of one feed: fetch → authenticate the exact bytes → parse → refuse a ripcord → validate against the
/// snapshot in force → store. Every document that arrives ends as exactly one of: a new snapshot, "unchanged", or a
/// stored rejection with its reason and bytes; the snapshot in force is only ever replaced by a newer valid one.
/// </summary>
public sealed class ReserveFeedPoller(
    ReserveFeedSettings settings,
    IReserveDocumentSource source,
    IReserveStore store,
    TimeProvider time,
    ILogger logger)
{
    public string Feed => settings.Name;

    public async Task<FeedPollOutcome> PollAsync(CancellationToken cancellationToken)
    {
        FetchedDocument document;
        try
        {
            document = await source.FetchAsync(cancellationToken);
        }
        catch (FeedFetchException ex)
        {
            logger.LogWarning("feed {Feed}: {Reason}", Feed, ex.Message);
            var inForce = await store.GetLatestSnapshotAsync(Feed, cancellationToken);
            return new FeedPollOutcome(Feed, FeedPollStatus.FetchFailed, inForce?.Id, ex.Message);
        }

        var receivedAt = time.GetUtcNow();
        var sha = Convert.ToHexStringLower(SHA256.HashData(document.Body));
        var current = await store.GetLatestSnapshotAsync(Feed, cancellationToken);
        var signatureProblem = settings.Auth.Kind switch
        {
            FeedAuthKind.Hmac => SignatureVerifier.VerifyHmacSha256(document.Body, settings.Auth.Secret!, document.Signature),
            FeedAuthKind.Ed25519 => SignatureVerifier.VerifyEd25519(document.Body, settings.Auth.PublicKey!, document.Signature),
            _ => null,
        };
        if (signatureProblem is not null)
        {
            return await RejectAsync(document, sha, receivedAt, signatureProblem, current, cancellationToken);
        }

        ParsedSnapshot parsed;
        try
        {
            parsed = settings.Format switch
            {
                ReserveFeedFormat.CustodianJson => CustodianJsonParser.Parse(document.Body),
                ReserveFeedFormat.CustodianCsv => BankStatementCsvParser.Parse(document.Body),
                ReserveFeedFormat.ProofOfReserve => ProofOfReserveParser.Parse(document.Body, settings.Custodian ?? settings.Name),
                _ => throw new InvalidOperationException($"feed '{Feed}': format {settings.Format} is not supported"),
            };
        }
        catch (SnapshotFormatException ex)
        {
            return await RejectAsync(document, sha, receivedAt, "parse: " + ex.Message, current, cancellationToken);
        }

        if (parsed.Ripcord)
        {
            return await RejectAsync(document, sha, receivedAt, "ripcord: the feed flags its own figure as not to be trusted", current, cancellationToken);
        }

        var snapshot = new ReserveSnapshot(0, Feed, parsed.Custodian, parsed.AsOf, parsed.Accounts, parsed.Attestation, sha, document.Signature, receivedAt);
        var outcome = ReserveSnapshotValidator.Validate(snapshot, current, receivedAt, settings.MaxClockSkew);
        switch (outcome.Decision)
        {
            case ReserveValidationDecision.Unchanged:
                return new FeedPollOutcome(Feed, FeedPollStatus.Unchanged, current!.Id, null);
            case ReserveValidationDecision.Reject:
                return await RejectAsync(document, sha, receivedAt, outcome.Reason!, current, cancellationToken);
            default:
                var id = await store.RecordSnapshotAsync(snapshot, cancellationToken);
                logger.LogInformation(
                    "feed {Feed}: accepted snapshot {Id} of {Custodian} as of {AsOf:O}, {Accounts} accounts, {Total} USD",
                    Feed, id, snapshot.Custodian, snapshot.AsOf, snapshot.Accounts.Count, snapshot.Total);
                return new FeedPollOutcome(Feed, FeedPollStatus.Accepted, id, null);
        }
    }

    private async Task<FeedPollOutcome> RejectAsync(
        FetchedDocument document, string sha, DateTimeOffset receivedAt, string reason, ReserveSnapshot? inForce, CancellationToken cancellationToken)
    {
        await store.RecordRejectionAsync(new FeedRejection(Feed, receivedAt, reason, sha, document.Body), cancellationToken);
        logger.LogWarning("feed {Feed}: document {Sha} rejected: {Reason}; snapshot {InForce} stays in force", Feed, sha, reason, inForce?.Id);
        return new FeedPollOutcome(Feed, FeedPollStatus.Rejected, inForce?.Id, reason);
    }
}
