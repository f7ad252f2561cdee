using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// Anomalies and the Alertmanager outbox. Recording a screen is one transaction: the anomalies, the events marked
/// screened, and the outbox entries of the pages to send — so a crash never pages twice nor forgets a page.
/// </summary>
public sealed class SqliteAnomalyStore(SqliteSupplyStore supplyStore) : IAnomalyStore
{
    /// <summary>Unscreened events of a network, oldest first, with their row ids for <see cref="RecordScreenAsync"/>.</summary>
    public async Task<IReadOnlyList<(long RowId, SupplyEvent Event)>> GetUnscreenedEventsAsync(string network, int limit, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<SupplyEventRow>(new CommandDefinition(
            $"""
            SELECT e.rowid AS RowId, {EventColumns}
            FROM supply_events e
            WHERE e.network_id = (SELECT id FROM networks WHERE name = @network) AND e.screened = 0
            ORDER BY e.block_number, e.position, e.sub_position
            LIMIT @limit
            """,
            new { network, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => (r.RowId, r.ToEvent())).ToList();
    }

    /// <summary>Screened, timed events of a network at or after <paramref name="since"/>: the rolling window's history.</summary>
    public async Task<IReadOnlyList<SupplyEvent>> GetWindowHistoryAsync(string network, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<SupplyEventRow>(new CommandDefinition(
            $"""
            SELECT e.rowid AS RowId, {EventColumns}
            FROM supply_events e
            WHERE e.network_id = (SELECT id FROM networks WHERE name = @network) AND e.screened = 1 AND e.block_time >= @since
            """,
            new { network, since = SqliteSupplyStore.Text(since) },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    /// <summary>
    /// Stores the anomalies found (ignoring ones already stored under the same fingerprint), marks the events screened
    /// and queues a page for each new anomaly that is recent and not within the cooldown of an earlier page of the same
    /// incident. Returns the anomalies that were new.
    /// </summary>
    public async Task<IReadOnlyList<StoredAnomaly>> RecordScreenAsync(IReadOnlyList<Anomaly> anomalies, IReadOnlyList<long> screenedRowIds, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        ArgumentNullException.ThrowIfNull(screenedRowIds);
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stored = await AnomalyRecording.RecordAsync(new Steps(connection, transaction), anomalies, paging, now, cancellationToken);

        foreach (var chunk in screenedRowIds.Chunk(500))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE supply_events SET screened = 1 WHERE rowid IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Unscreened reorgs at or beyond <paramref name="minimumDepth"/> become anomalies; all unscreened reorgs are marked
    /// screened and returned (network, depth) so each is counted once.
    /// </summary>
    public async Task<(IReadOnlyList<StoredAnomaly> Anomalies, IReadOnlyList<(string Network, int Depth)> Reorgs)> ScreenReorgsAsync(int minimumDepth, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var reorgs = (await connection.QueryAsync<ReorgRow>(new CommandDefinition(
            """
            SELECT r.id AS Id, n.name AS Network, r.common_ancestor AS Ancestor, r.depth AS Depth, r.old_tip_id AS OldTip, r.new_tip_id AS NewTip,
                   r.events_removed AS Removed, r.detected_at AS DetectedAt
            FROM reorgs r JOIN networks n ON n.id = r.network_id WHERE r.screened = 0
            """,
            transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var (stored, screened) = await AnomalyRecording.ScreenReorgsAsync(
            new Steps(connection, transaction),
            reorgs.Select(r => new UnscreenedReorg(r.Id, r.Network, r.Ancestor, (int)r.Depth, r.OldTip, r.NewTip, r.Removed, SqliteSupplyStore.ParseTime(r.DetectedAt))).ToList(),
            minimumDepth, paging, now, cancellationToken);
        foreach (var r in reorgs)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE reorgs SET screened = 1 WHERE id = @Id", new { r.Id }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return (stored, screened);
    }

    /// <summary>
    /// A condition anomaly (ledger mismatch, refused deep reorg): opens it and pages when none is open for its rule and
    /// network; refreshes the page of an open one when its last page is older than <paramref name="refreshAfter"/>.
    /// Without an Alertmanager it opens the condition as <c>unpaged</c>; an open unpaged condition raised again once an
    /// Alertmanager is configured is paged then, because it is still true (old discrete anomalies are not: they were
    /// recorded as not paged, and are history now).
    /// </summary>
    public async Task<StoredAnomaly?> RaiseConditionAsync(Anomaly anomaly, TimeSpan refreshAfter, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var added = await AnomalyRecording.RaiseConditionAsync(new Steps(connection, transaction), anomaly, refreshAfter, paging, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Resolves the open anomalies of a rule on a network and queues the resolving push of those that were paged (an
    /// unpaged one has nothing to resolve at Alertmanager; without an Alertmanager nothing is queued). Returns how many.
    /// </summary>
    public async Task<int> ResolveConditionAsync(AnomalyRule rule, string network, AnomalyPaging paging, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var open = (await connection.QueryAsync<OpenRow>(new CommandDefinition(
            "SELECT id AS Id, page_state AS PageState FROM anomalies WHERE rule = @Rule AND network = @network AND resolved_at IS NULL",
            new { Rule = rule.ToString(), network }, transaction, cancellationToken: cancellationToken))).ToList();
        foreach (var row in open)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE anomalies SET resolved_at = @At WHERE id = @Id", new { row.Id, At = SqliteSupplyStore.Text(now) }, transaction, cancellationToken: cancellationToken));
        }

        var steps = new Steps(connection, transaction);
        foreach (var id in AnomalyRecording.ResolutionsToPush(open.Select(r => (r.Id, r.PageState)), paging))
        {
            await steps.EnqueueAsync(id, "resolve", now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return open.Count;
    }

    /// <summary>
    /// For a daemon without an Alertmanager: marks every undelivered outbox entry abandoned with <paramref name="reason"/>
    /// (kept as a record, no longer pending) and the anomalies never delivered to anyone <c>unpaged</c> with that note.
    /// Returns how many entries were abandoned. If an Alertmanager is configured later they are not sent: discrete
    /// anomalies are history by then, and open conditions page again when next raised.
    /// </summary>
    public async Task<int> AbandonUndeliveredAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var at = SqliteSupplyStore.Text(now);
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

    /// <summary>One process writes an SQLite store (its writer lease): nobody else delivers, so nothing needs claiming.</summary>
    public Task<IReadOnlyList<PendingAlert>> ClaimDueAlertsAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken cancellationToken) =>
        GetDueAlertsAsync(now, limit, cancellationToken);

    public async Task<IReadOnlyList<PendingAlert>> GetDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"""
            SELECT o.id AS OutboxId, o.action AS Action, o.attempts AS Attempts, {AnomalyColumns}
            FROM alert_outbox o JOIN anomalies a ON a.id = o.anomaly_id
            WHERE o.delivered_at IS NULL AND o.abandoned_at IS NULL AND o.next_attempt_at <= @now
            ORDER BY o.id LIMIT @limit
            """,
            new { now = SqliteSupplyStore.Text(now), limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPending()).ToList();
    }

    public async Task MarkDeliveredAsync(IReadOnlyList<long> outboxIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET delivered_at = @At, attempts = attempts + 1, last_error = NULL WHERE id IN @outboxIds",
            new { outboxIds, At = SqliteSupplyStore.Text(at) }, cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(IReadOnlyList<long> outboxIds, string reason, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @Next WHERE id IN @outboxIds",
            new { outboxIds, error = reason, Next = SqliteSupplyStore.Text(nextAttempt) }, cancellationToken: cancellationToken));
    }

    /// <summary>Outbox entries waiting for Alertmanager (abandoned ones, which no Alertmanager will receive, are not pending).</summary>
    public async Task<long> CountPendingAlertsAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL", cancellationToken: cancellationToken));
    }

    /// <summary>Newest anomalies first (for the status page and reports).</summary>
    public async Task<IReadOnlyList<StoredAnomaly>> GetRecentAnomaliesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT 0 AS OutboxId, '' AS Action, 0 AS Attempts, {AnomalyColumns} FROM anomalies a ORDER BY a.id DESC LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Anomalies per (rule, network), for the metrics counters after a restart.</summary>
    public async Task<IReadOnlyList<(string Rule, string Network, long Count)>> CountAnomaliesAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT rule AS Rule, network AS Network, COUNT(*) AS Count FROM anomalies GROUP BY rule, network", cancellationToken: cancellationToken));
        return rows.Select(r => (r.Rule, r.Network, r.Count)).ToList();
    }

    /// <summary>This store's SQL for <see cref="AnomalyRecording"/>, inside one transaction.</summary>
    private sealed class Steps(SqliteConnection connection, SqliteTransaction transaction) : IAnomalyTransaction
    {
        public async Task<bool> QueuedSinceAsync(string dedupeKey, DateTimeOffset since, CancellationToken cancellationToken) =>
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM anomalies WHERE dedupe_key = @dedupeKey AND page_state = 'queued' AND detected_at > @since",
                new { dedupeKey, since = SqliteSupplyStore.Text(since) }, transaction, cancellationToken: cancellationToken)) > 0;

        public Task<long?> InsertAsync(Anomaly a, string dedupeKey, string pageState, string? pageNote, DateTimeOffset detectedAt, CancellationToken cancellationToken) =>
            connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO anomalies (network, rule, fingerprint, dedupe_key, severity, summary, description, block_number, tx_id, actor, amount, occurred_at, detected_at, page_state, page_note)
                VALUES (@Network, @Rule, @Fingerprint, @dedupeKey, @Severity, @Summary, @Description, @BlockNumber, @TransactionId, @Actor, @Amount, @OccurredAt, @DetectedAt, @pageState, @pageNote)
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
                    OccurredAt = a.OccurredAt is { } o ? SqliteSupplyStore.Text(o) : null,
                    DetectedAt = SqliteSupplyStore.Text(detectedAt),
                    pageState,
                    pageNote,
                },
                transaction, cancellationToken: cancellationToken));

        public Task EnqueueAsync(long anomalyId, string action, DateTimeOffset at, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO alert_outbox (anomaly_id, action, created_at, next_attempt_at) VALUES (@anomalyId, @action, @At, @At)",
                new { anomalyId, action, At = SqliteSupplyStore.Text(at) }, transaction, cancellationToken: cancellationToken));

        // No row lock: one process writes an SQLite store (its writer lease), so no other raiser can be in between.
        public async Task<(long Id, string PageState)?> FindOpenConditionAsync(AnomalyRule rule, string network, CancellationToken cancellationToken) =>
            await connection.QuerySingleOrDefaultAsync<OpenRow>(new CommandDefinition(
                "SELECT id AS Id, page_state AS PageState FROM anomalies WHERE rule = @Rule AND network = @network AND resolved_at IS NULL AND page_state IN ('queued', 'unpaged') ORDER BY id DESC LIMIT 1",
                new { Rule = rule.ToString(), network }, transaction, cancellationToken: cancellationToken)) is { } open
                ? (open.Id, open.PageState)
                : null;

        public async Task<DateTimeOffset?> LastFireAsync(long anomalyId, CancellationToken cancellationToken) =>
            await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT MAX(created_at) FROM alert_outbox WHERE anomaly_id = @anomalyId AND action = 'fire'", new { anomalyId }, transaction, cancellationToken: cancellationToken)) is { } last
                ? SqliteSupplyStore.ParseTime(last)
                : null;

        public Task MarkQueuedAsync(long anomalyId, string pageNote, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(
                "UPDATE anomalies SET page_state = 'queued', page_note = @pageNote WHERE id = @anomalyId",
                new { anomalyId, pageNote }, transaction, cancellationToken: cancellationToken));
    }

    // The supply store's own column list, so both read supply_events into SupplyEventRow the same way.
    private const string EventColumns = SqliteSupplyStore.EventColumns;

    private const string AnomalyColumns =
        "a.id AS Id, a.network AS Network, a.rule AS Rule, a.fingerprint AS Fingerprint, a.severity AS Severity, a.summary AS Summary, " +
        "a.description AS Description, a.block_number AS BlockNumber, a.tx_id AS TxId, a.actor AS Actor, a.amount AS Amount, " +
        "a.occurred_at AS OccurredAt, a.detected_at AS DetectedAt, a.page_state AS PageState, a.page_note AS PageNote, a.resolved_at AS ResolvedAt";

    private sealed class ReorgRow
    {
        public long Id { get; init; }
        public string Network { get; init; } = "";
        public long Ancestor { get; init; }
        public long Depth { get; init; }
        public string OldTip { get; init; } = "";
        public string NewTip { get; init; } = "";
        public long Removed { get; init; }
        public string DetectedAt { get; init; } = "";
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
        public string? OccurredAt { get; init; }
        public string DetectedAt { get; init; } = "";
        public string? ResolvedAt { get; init; }

        protected override (DateTimeOffset? OccurredAt, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt) ReadTimes() =>
            (OccurredAt is null ? null : SqliteSupplyStore.ParseTime(OccurredAt), SqliteSupplyStore.ParseTime(DetectedAt), ResolvedAt is null ? null : SqliteSupplyStore.ParseTime(ResolvedAt));
    }
}
