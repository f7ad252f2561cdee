using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// Anomalies and the Alertmanager outbox in the PostgreSQL store. Recording a screen is one transaction: the
/// anomalies, the events marked screened, and the outbox entries of the pages to send — so a crash never pages twice
/// nor forgets a page. The same paging rules as the SQLite store (the store contract suite runs both).
/// </summary>
public sealed class PostgresAnomalyStore(PostgresSupplyStore supplyStore) : IAnomalyStore
{
    public async Task<IReadOnlyList<(long RowId, SupplyEvent Event)>> GetUnscreenedEventsAsync(string network, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresEventRow>(new CommandDefinition(
            $"""
            SELECT {EventColumns}
            FROM supply_events e
            WHERE e.network_id = (SELECT id FROM networks WHERE name = @network) AND NOT e.screened
            ORDER BY e.block_number, e.position, e.sub_position
            LIMIT @limit
            """,
            new { network, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => (r.RowId, r.ToEvent())).ToList();
    }

    public async Task<IReadOnlyList<SupplyEvent>> GetWindowHistoryAsync(string network, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresEventRow>(new CommandDefinition(
            $"""
            SELECT {EventColumns}
            FROM supply_events e
            WHERE e.network_id = (SELECT id FROM networks WHERE name = @network) AND e.screened AND e.block_time >= @since
            """,
            new { network, since = PostgresSupplyStore.Utc(since) },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<IReadOnlyList<StoredAnomaly>> RecordScreenAsync(IReadOnlyList<Anomaly> anomalies, IReadOnlyList<long> screenedRowIds, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        ArgumentNullException.ThrowIfNull(screenedRowIds);
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await AnomalyRecording.RecordAsync(new Steps(connection, transaction), anomalies, paging, now, cancellationToken);

        if (screenedRowIds.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE supply_events SET screened = true WHERE id = ANY(@ids)", new { ids = screenedRowIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>Unscreened reorgs at or beyond <paramref name="minimumDepth"/> become anomalies; all are marked screened and returned once.</summary>
    public async Task<(IReadOnlyList<StoredAnomaly> Anomalies, IReadOnlyList<(string Network, int Depth)> Reorgs)> ScreenReorgsAsync(int minimumDepth, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // FOR UPDATE OF r SKIP LOCKED: a reorg another instance is screening right now is left to it, never counted twice.
        var reorgs = (await connection.QueryAsync<ReorgRow>(new CommandDefinition(
            """
            SELECT r.id AS Id, n.name AS Network, r.common_ancestor AS Ancestor, r.depth AS Depth, r.old_tip_id AS OldTip, r.new_tip_id AS NewTip,
                   r.events_removed AS Removed, r.detected_at AS DetectedAt
            FROM reorgs r JOIN networks n ON n.id = r.network_id WHERE NOT r.screened ORDER BY r.id
            FOR UPDATE OF r SKIP LOCKED
            """,
            transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var (stored, screened) = await AnomalyRecording.ScreenReorgsAsync(
            new Steps(connection, transaction),
            reorgs.Select(r => new UnscreenedReorg(r.Id, r.Network, r.Ancestor, r.Depth, r.OldTip, r.NewTip, r.Removed, PostgresSupplyStore.Time(r.DetectedAt))).ToList(),
            minimumDepth, paging, now, cancellationToken);

        if (reorgs.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE reorgs SET screened = true WHERE id = ANY(@ids)", new { ids = reorgs.Select(r => r.Id).ToArray() }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return (stored, screened);
    }

    /// <summary>
    /// A condition anomaly: opens it and pages when none is open for its rule and network; refreshes the page of an
    /// open one when its last page is older than <paramref name="refreshAfter"/>; pages an open unpaged one once an
    /// Alertmanager is configured (see <see cref="IAnomalyStore.RaiseConditionAsync"/>).
    /// </summary>
    public async Task<StoredAnomaly?> RaiseConditionAsync(Anomaly anomaly, TimeSpan refreshAfter, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await AnomalyRecording.RaiseConditionAsync(new Steps(connection, transaction), anomaly, refreshAfter, paging, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<int> ResolveConditionAsync(AnomalyRule rule, string network, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var open = (await connection.QueryAsync<OpenRow>(new CommandDefinition(
            "UPDATE anomalies SET resolved_at = @At WHERE rule = @Rule AND network = @network AND resolved_at IS NULL RETURNING id AS Id, page_state AS PageState",
            new { Rule = rule.ToString(), network, At = PostgresSupplyStore.Utc(now) }, transaction, cancellationToken: cancellationToken))).ToList();
        var steps = new Steps(connection, transaction);
        foreach (var id in AnomalyRecording.ResolutionsToPush(open.Select(r => (r.Id, r.PageState)), paging))
        {
            await steps.EnqueueAsync(id, "resolve", now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return open.Count;
    }

    public async Task<int> AbandonUndeliveredAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = PostgresSupplyStore.Utc(now);
        var abandoned = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET abandoned_at = @at, last_error = @reason WHERE delivered_at IS NULL AND abandoned_at IS NULL",
            new { at, reason }, transaction, cancellationToken: cancellationToken));
        if (abandoned > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE anomalies SET page_state = 'unpaged', page_note = @reason
                WHERE page_state = 'queued'
                  AND id IN (SELECT anomaly_id FROM alert_outbox WHERE abandoned_at = @at)
                  AND id NOT IN (SELECT anomaly_id FROM alert_outbox WHERE action = 'fire' AND delivered_at IS NOT NULL)
                """,
                new { at, reason }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return abandoned;
    }

    public async Task<IReadOnlyList<PendingAlert>> GetDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"""
            SELECT o.id AS OutboxId, o.action AS Action, o.attempts AS Attempts, {AnomalyColumns}
            FROM alert_outbox o JOIN anomalies a ON a.id = o.anomaly_id
            WHERE o.delivered_at IS NULL AND o.abandoned_at IS NULL AND o.next_attempt_at <= @now
            ORDER BY o.id LIMIT @limit
            """,
            new { now = PostgresSupplyStore.Utc(now), limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPending()).ToList();
    }

    /// <summary>
    /// Claims due entries in one statement: the due rows are locked <c>FOR UPDATE SKIP LOCKED</c> (an instance claiming
    /// at the same instant skips them instead of waiting and then sending them too) and their claim's expiry set on
    /// database time. An entry under an unexpired claim is not due for anyone else; marking it delivered or failed ends
    /// the claim, and a claim whose instance died runs out, so the entry comes back.
    /// </summary>
    public async Task<IReadOnlyList<PendingAlert>> ClaimDueAlertsAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"""
            WITH due AS (
                SELECT id FROM alert_outbox
                WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= @now
                  AND (claim_expires_at IS NULL OR claim_expires_at <= clock_timestamp())
                ORDER BY id LIMIT @limit
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE alert_outbox o SET claim_expires_at = clock_timestamp() + @claimFor
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.action, o.attempts, o.anomaly_id
            )
            SELECT o.id AS OutboxId, o.action AS Action, o.attempts AS Attempts, {AnomalyColumns}
            FROM claimed o JOIN anomalies a ON a.id = o.anomaly_id
            ORDER BY o.id
            """,
            new { now = PostgresSupplyStore.Utc(now), limit, claimFor },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPending()).ToList();
    }

    public async Task MarkDeliveredAsync(IReadOnlyList<long> outboxIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxIds);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET delivered_at = @At, attempts = attempts + 1, last_error = NULL, claim_expires_at = NULL WHERE id = ANY(@ids)",
            new { ids = outboxIds.ToArray(), At = PostgresSupplyStore.Utc(at) }, cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(IReadOnlyList<long> outboxIds, string reason, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxIds);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @Next, claim_expires_at = NULL WHERE id = ANY(@ids)",
            new { ids = outboxIds.ToArray(), error = reason, Next = PostgresSupplyStore.Utc(nextAttempt) }, cancellationToken: cancellationToken));
    }

    public async Task<long> CountPendingAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredAnomaly>> GetRecentAnomaliesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT 0::bigint AS OutboxId, '' AS Action, 0 AS Attempts, {AnomalyColumns} FROM anomalies a ORDER BY a.id DESC LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    public async Task<IReadOnlyList<(string Rule, string Network, long Count)>> CountAnomaliesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT rule AS Rule, network AS Network, COUNT(*) AS Count FROM anomalies GROUP BY rule, network", cancellationToken: cancellationToken));
        return rows.Select(r => (r.Rule, r.Network, r.Count)).ToList();
    }

    /// <summary>This store's SQL for <see cref="AnomalyRecording"/>, inside one transaction.</summary>
    private sealed class Steps(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAnomalyTransaction
    {
        public async Task<bool> QueuedSinceAsync(string dedupeKey, DateTimeOffset since, CancellationToken cancellationToken) =>
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM anomalies WHERE dedupe_key = @dedupeKey AND page_state = 'queued' AND detected_at > @since",
                new { dedupeKey, since = PostgresSupplyStore.Utc(since) }, transaction, cancellationToken: cancellationToken)) > 0;

        public Task<long?> InsertAsync(Anomaly a, string dedupeKey, string pageState, string? pageNote, DateTimeOffset detectedAt, CancellationToken cancellationToken) =>
            connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO anomalies (network, rule, fingerprint, dedupe_key, severity, summary, description, block_number, tx_id, actor, amount, occurred_at, detected_at, page_state, page_note)
                VALUES (@Network, @Rule, @Fingerprint, @dedupeKey, @Severity, @Summary, @Description, @BlockNumber, @TransactionId, @Actor, CAST(@Amount AS numeric), @OccurredAt, @DetectedAt, @pageState, @pageNote)
                ON CONFLICT (fingerprint) DO NOTHING
                RETURNING id
                """,
                new
                {
                    a.Network,
                    Rule = a.Rule.ToString(),
                    a.Fingerprint,
                    dedupeKey,
                    a.Severity,
                    a.Summary,
                    a.Description,
                    a.BlockNumber,
                    a.TransactionId,
                    a.Actor,
                    Amount = a.Amount?.ToString(),
                    OccurredAt = PostgresSupplyStore.Utc(a.OccurredAt),
                    DetectedAt = PostgresSupplyStore.Utc(detectedAt),
                    pageState,
                    pageNote,
                },
                transaction, cancellationToken: cancellationToken));

        public Task EnqueueAsync(long anomalyId, string action, DateTimeOffset at, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO alert_outbox (anomaly_id, action, created_at, next_attempt_at) VALUES (@anomalyId, @action, @At, @At)",
                new { anomalyId, action, At = PostgresSupplyStore.Utc(at) }, transaction, cancellationToken: cancellationToken));

        // FOR UPDATE: two instances raising one condition at once queue here, so it is opened or paged once.
        public async Task<(long Id, string PageState)?> FindOpenConditionAsync(AnomalyRule rule, string network, CancellationToken cancellationToken) =>
            await connection.QuerySingleOrDefaultAsync<OpenRow>(new CommandDefinition(
                "SELECT id AS Id, page_state AS PageState FROM anomalies WHERE rule = @Rule AND network = @network AND resolved_at IS NULL AND page_state IN ('queued', 'unpaged') ORDER BY id DESC LIMIT 1 FOR UPDATE",
                new { Rule = rule.ToString(), network }, transaction, cancellationToken: cancellationToken)) is { } open
                ? (open.Id, open.PageState)
                : null;

        public async Task<DateTimeOffset?> LastFireAsync(long anomalyId, CancellationToken cancellationToken) =>
            PostgresSupplyStore.Time(await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
                "SELECT MAX(created_at) FROM alert_outbox WHERE anomaly_id = @anomalyId AND action = 'fire'", new { anomalyId }, transaction, cancellationToken: cancellationToken)));

        public Task MarkQueuedAsync(long anomalyId, string pageNote, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(
                "UPDATE anomalies SET page_state = 'queued', page_note = @pageNote WHERE id = @anomalyId",
                new { anomalyId, pageNote }, transaction, cancellationToken: cancellationToken));
    }

    private const string EventColumns = PostgresSupplyStore.EventColumns;

    private const string AnomalyColumns =
        "a.id AS Id, a.network AS Network, a.rule AS Rule, a.fingerprint AS Fingerprint, a.severity AS Severity, a.summary AS Summary, " +
        "a.description AS Description, a.block_number AS BlockNumber, a.tx_id AS TxId, a.actor AS Actor, a.amount::text AS Amount, " +
        "a.occurred_at AS OccurredAt, a.detected_at AS DetectedAt, a.page_state AS PageState, a.page_note AS PageNote, a.resolved_at AS ResolvedAt";

    private sealed class ReorgRow
    {
        public long Id { get; init; }
        public string Network { get; init; } = "";
        public long Ancestor { get; init; }
        public int Depth { get; init; }
        public string OldTip { get; init; } = "";
        public string NewTip { get; init; } = "";
        public int Removed { get; init; }
        public DateTime DetectedAt { get; init; }
    }

    private sealed class OpenRow
    {
        public long Id { get; init; }
        public string PageState { get; init; } = "";
    }

    private sealed class CountRow
    {
        public string Rule { get; init; } = "";
        public string Network { get; init; } = "";
        public long Count { get; init; }
    }

    private sealed class OutboxRow : StoredAnomalyRow
    {
        public DateTime? OccurredAt { get; init; }
        public DateTime DetectedAt { get; init; }
        public DateTime? ResolvedAt { get; init; }

        protected override (DateTimeOffset? OccurredAt, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt) ReadTimes() =>
            (PostgresSupplyStore.Time(OccurredAt), PostgresSupplyStore.Time(DetectedAt), PostgresSupplyStore.Time(ResolvedAt));
    }
}
