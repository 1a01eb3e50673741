using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cohort.Sql;
using Cohort.Sync.Records;
using Cohort.Warehouses;

namespace Cohort.Sync.State;

/// <summary>A confirmed (or skipped) row on its way into the snapshot: what to do with the snapshot, and the payload sent.</summary>
internal sealed record LogRow(string Key, string Change, bool Upsert, string? Payload);

/// <summary>A row that ended a run unconfirmed, with its reason.</summary>
internal sealed record RunRow(string Key, string Change, string? Operation, RowOutcome Outcome, string? Reason, int Attempts);

/// <summary>
/// Every read and write of the state tables (docs/sync.md, "Commit protocol"). Each method is one or more
/// statements that are each atomic and idempotent, so a process stopped between any two of them leaves state the
/// next run can finish from.
/// </summary>
internal sealed class StateStore(IWarehouse warehouse, StateTables tables)
{
    // DDL is idempotent but not free; remember per warehouse instance what has been created.
    private static readonly ConditionalWeakTable<IWarehouse, ConcurrentDictionary<string, bool>> Created = new();

    public IWarehouse Warehouse { get; } = warehouse;

    public StateTables Tables { get; } = tables;

    private SqlDialectName Dialect => Warehouse.Dialect;

    private CompiledSql Sql(string text, params (SqlParameterType Type, object? Value)[] parameters) =>
        new(Dialect, text, [.. parameters.Select((p, i) => new SqlParameter(i + 1, p.Type, p.Value!))]);

    private Task<long> ExecuteAsync(string text, CancellationToken cancellationToken, params (SqlParameterType Type, object? Value)[] parameters) =>
        Warehouse.ExecuteAsync(Sql(text, parameters), cancellationToken);

    public async Task EnsureAsync(string sync, CancellationToken cancellationToken)
    {
        var created = Created.GetOrCreateValue(Warehouse);
        var location = Tables.Location.QualifiedSchema;
        if (!created.ContainsKey(location))
        {
            foreach (var statement in Tables.SharedDdl()) await Warehouse.ExecuteScriptAsync(statement, cancellationToken).ConfigureAwait(false);
            created[location] = true;
        }
        if (!created.ContainsKey(location + "/" + sync))
        {
            foreach (var statement in Tables.SyncDdl(sync)) await Warehouse.ExecuteScriptAsync(statement, cancellationToken).ConfigureAwait(false);
            created[location + "/" + sync] = true;
        }
    }

    /// <summary>
    /// Records the destination's identity on first use. When it changed (another destination, type or key), the
    /// snapshot and log are cleared, so the new destination receives every row; returns true then.
    /// </summary>
    public async Task<bool> CheckFingerprintAsync(string sync, string fingerprint, DateTime now, CancellationToken cancellationToken)
    {
        var stored = await Warehouse.ScalarAsync(Sql($"SELECT fingerprint FROM {Tables.Syncs} WHERE sync_name = $1", (SqlParameterType.String, sync)), cancellationToken).ConfigureAwait(false);
        if (stored is string existing && existing == fingerprint) return false;
        if (stored is null)
        {
            await ExecuteAsync($"INSERT INTO {Tables.Syncs} (sync_name, fingerprint, created_at, updated_at) VALUES ($1, $2, $3, $3)", cancellationToken,
                (SqlParameterType.String, sync), (SqlParameterType.String, fingerprint), (SqlParameterType.Timestamp, now)).ConfigureAwait(false);
            return false;
        }
        await ExecuteAsync($"DELETE FROM {Tables.Snapshot(sync)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"DELETE FROM {Tables.Log(sync)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"UPDATE {Tables.Syncs} SET fingerprint = $2, updated_at = $3 WHERE sync_name = $1", cancellationToken,
            (SqlParameterType.String, sync), (SqlParameterType.String, fingerprint), (SqlParameterType.Timestamp, now)).ConfigureAwait(false);
        return true;
    }

    public async Task<long> NextRunIdAsync(CancellationToken cancellationToken) =>
        Convert.ToInt64(await Warehouse.ScalarAsync(Sql($"SELECT nextval('{Tables.RunIdsName}')"), cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);

    public Task StartRunAsync(long runId, string sync, string destination, string mode, DateTime startedAt, DateTime asOf, CancellationToken cancellationToken) =>
        ExecuteAsync($"INSERT INTO {Tables.Runs} (run_id, sync_name, destination, mode, status, started_at, as_of) VALUES ($1, $2, $3, $4, 'running', $5, $6)",
            cancellationToken, (SqlParameterType.Integer, runId), (SqlParameterType.String, sync), (SqlParameterType.String, destination),
            (SqlParameterType.String, mode), (SqlParameterType.Timestamp, startedAt), (SqlParameterType.Timestamp, asOf));

    /// <summary>Closes runs of this sync left 'running' by a process that stopped, counting the rows they had confirmed.</summary>
    public Task MarkInterruptedAsync(string sync, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"UPDATE {Tables.Runs} SET status = 'interrupted', finished_at = $2, error = $3, " +
            $"succeeded = (SELECT count(*) FROM {Tables.Log(sync)} l WHERE l.run_id = {Tables.Runs}.run_id AND l.confirmed) " +
            "WHERE sync_name = $1 AND status = 'running'",
            cancellationToken, (SqlParameterType.String, sync), (SqlParameterType.Timestamp, now), (SqlParameterType.String, SyncMessages.Interrupted));

    /// <summary>
    /// Folds confirmed log rows into the snapshot (docs/sync.md, "Commit protocol"): drops unconfirmed rows of runs that
    /// are over, takes the latest confirmed row per key, updates, inserts and deletes snapshot rows, records membership
    /// history, and clears the folded rows. Every statement is idempotent, so a fold stopped anywhere is finished by the next.
    /// </summary>
    public async Task FoldAsync(string sync, long currentRun, Func<Running.SyncStep, ValueTask> crash, CancellationToken cancellationToken)
    {
        var log = Tables.Log(sync);
        var fold = Tables.Fold(sync);
        var snapshot = Tables.Snapshot(sync);
        await ExecuteAsync($"DELETE FROM {log} WHERE NOT confirmed AND run_id <> $1", cancellationToken, (SqlParameterType.Integer, currentRun)).ConfigureAwait(false);
        var confirmed = await Warehouse.ScalarAsync(Sql($"SELECT count(*) FROM {log} WHERE confirmed"), cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(confirmed, System.Globalization.CultureInfo.InvariantCulture) == 0) return;
        await crash(Running.SyncStep.FoldStarted).ConfigureAwait(false);

        // Each run logs a key at most once, so with one run in the log its confirmed rows are already the latest per key;
        // rows of several runs (a fold that did not finish) are reduced to the latest per key first.
        var runs = await Warehouse.ScalarAsync(Sql($"SELECT count(DISTINCT run_id) FROM {log} WHERE confirmed"), cancellationToken).ConfigureAwait(false);
        var source = $"(SELECT key, run_id, change, action, payload FROM {log} WHERE confirmed)";
        if (Convert.ToInt64(runs, System.Globalization.CultureInfo.InvariantCulture) > 1)
        {
            foreach (var statement in Tables.Dialect.CreateWorkTable(fold, Tables.FoldColumns))
                await Warehouse.ExecuteScriptAsync(statement, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                $"INSERT INTO {fold} (key, run_id, change, action, payload) SELECT key, run_id, change, action, payload FROM (" +
                $"SELECT key, run_id, change, action, payload, row_number() OVER (PARTITION BY key ORDER BY run_id DESC, seq DESC) AS cohort_rank " +
                $"FROM {log} WHERE confirmed) AS latest WHERE cohort_rank = 1", cancellationToken).ConfigureAwait(false);
            source = fold;
        }
        await crash(Running.SyncStep.FoldPrepared).ConfigureAwait(false);

        var hash = Tables.Dialect.Hash("f.payload");
        await ExecuteAsync(
            $"UPDATE {snapshot} AS s SET payload_hash = {hash}, payload = f.payload FROM {source} AS f WHERE s.key = f.key AND f.action = 'upsert'",
            cancellationToken).ConfigureAwait(false);
        await crash(Running.SyncStep.FoldUpdated).ConfigureAwait(false);
        await ExecuteAsync(
            $"INSERT INTO {snapshot} (key, payload_hash, payload) SELECT f.key, {hash}, f.payload FROM {source} AS f " +
            $"WHERE f.action = 'upsert' AND NOT EXISTS (SELECT 1 FROM {snapshot} AS s WHERE s.key = f.key)",
            cancellationToken).ConfigureAwait(false);
        await crash(Running.SyncStep.FoldInserted).ConfigureAwait(false);
        await ExecuteAsync($"DELETE FROM {snapshot} WHERE key IN (SELECT key FROM {source} AS f WHERE f.action = 'delete')", cancellationToken).ConfigureAwait(false);
        await crash(Running.SyncStep.FoldDeleted).ConfigureAwait(false);
        await ExecuteAsync(
            $"INSERT INTO {Tables.History} (sync_name, run_id, key, event, occurred_at) " +
            $"SELECT $1, l.run_id, l.key, CASE WHEN l.change = 'added' THEN 'enter' ELSE 'exit' END, r.started_at " +
            $"FROM {log} AS l JOIN {Tables.Runs} AS r ON r.run_id = l.run_id " +
            $"WHERE l.confirmed AND l.change IN ('added', 'removed') " +
            $"AND NOT EXISTS (SELECT 1 FROM {Tables.History} AS h WHERE h.sync_name = $1 AND h.run_id = l.run_id AND h.key = l.key)",
            cancellationToken, (SqlParameterType.String, sync)).ConfigureAwait(false);
        await crash(Running.SyncStep.FoldRecorded).ConfigureAwait(false);
        await ExecuteAsync($"DELETE FROM {log} WHERE confirmed", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends confirmed (or skipped) rows to the log in one all-or-nothing bulk load.</summary>
    public Task<long> AppendLogAsync(string sync, long runId, long seq, IReadOnlyList<LogRow> rows, bool confirmed, CancellationToken cancellationToken) =>
        rows.Count == 0
            ? Task.FromResult(0L)
            : Warehouse.BulkLoadAsync(Tables.RawLog(sync), ["run_id", "seq", "key", "change", "action", "payload", "confirmed"],
                rows.Select(r => new object?[] { runId, seq, r.Key, r.Change, r.Upsert ? "upsert" : "delete", r.Payload, confirmed }), cancellationToken);

    /// <summary>Marks a run's log rows confirmed once the destination completed (destinations that commit on completion).</summary>
    public Task ConfirmRunAsync(string sync, long runId, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {Tables.Log(sync)} SET confirmed = TRUE WHERE run_id = $1 AND NOT confirmed", cancellationToken, (SqlParameterType.Integer, runId));

    public Task<long> AppendRunRowsAsync(string sync, long runId, IReadOnlyList<RunRow> rows, CancellationToken cancellationToken) =>
        rows.Count == 0
            ? Task.FromResult(0L)
            : Warehouse.BulkLoadAsync(Tables.RawRunRows, ["run_id", "sync_name", "key", "change", "operation", "outcome", "reason", "attempts"],
                rows.Select(r => new object?[] { runId, sync, r.Key, r.Change, r.Operation, Outcome(r.Outcome), r.Reason, (long)r.Attempts }), cancellationToken);

    public Task FinishRunAsync(SyncRunRecord run, CancellationToken cancellationToken)
    {
        var c = run.Counts;
        return ExecuteAsync(
            $"UPDATE {Tables.Runs} SET status = $2, finished_at = $3, audience_size = $4, planned = $5, added = $6, changed = $7, removed = $8, " +
            "sent = $9, succeeded = $10, failed_invalid = $11, failed_rejected = $12, skipped = $13, pending = $14, requests = $15, retries = $16, " +
            "plan_ms = $17, send_ms = $18, commit_ms = $19, total_ms = $20, error = $21, match_records = $22, match_usable = $23 WHERE run_id = $1",
            cancellationToken,
            (SqlParameterType.Integer, run.RunId), (SqlParameterType.String, Status(run.Status)), (SqlParameterType.Timestamp, run.FinishedAt),
            (SqlParameterType.Integer, run.AudienceSize), (SqlParameterType.Integer, c.Planned), (SqlParameterType.Integer, c.Added),
            (SqlParameterType.Integer, c.Changed), (SqlParameterType.Integer, c.Removed), (SqlParameterType.Integer, c.Sent),
            (SqlParameterType.Integer, c.Succeeded), (SqlParameterType.Integer, c.FailedInvalid), (SqlParameterType.Integer, c.FailedRejected),
            (SqlParameterType.Integer, c.Skipped), (SqlParameterType.Integer, c.Pending), (SqlParameterType.Integer, c.Requests),
            (SqlParameterType.Integer, c.Retries), (SqlParameterType.Integer, (long)run.Timings.Plan.TotalMilliseconds),
            (SqlParameterType.Integer, (long)run.Timings.Send.TotalMilliseconds), (SqlParameterType.Integer, (long)run.Timings.Commit.TotalMilliseconds),
            (SqlParameterType.Integer, (long)run.Timings.Total.TotalMilliseconds), (SqlParameterType.String, run.Error),
            (SqlParameterType.Integer, run.MatchRate?.Records), (SqlParameterType.Integer, run.MatchRate?.Usable));
    }

    public async Task<IReadOnlyList<SyncRunRecord>> RunsAsync(string sync, long? runId, int limit, CancellationToken cancellationToken)
    {
        var filter = runId is null ? "" : " AND run_id = $2";
        (SqlParameterType, object?)[] parameters = runId is null
            ? [(SqlParameterType.String, sync)]
            : [(SqlParameterType.String, sync), (SqlParameterType.Integer, runId.Value)];
        var sql = Sql(
            "SELECT run_id, sync_name, destination, mode, status, started_at, as_of, finished_at, audience_size, planned, added, changed, removed, " +
            "sent, succeeded, failed_invalid, failed_rejected, skipped, pending, requests, retries, plan_ms, send_ms, commit_ms, total_ms, error, match_records, match_usable " +
            $"FROM {Tables.Runs} WHERE sync_name = $1{filter} ORDER BY run_id DESC LIMIT {Math.Max(1, limit).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            parameters);
        var runs = new List<SyncRunRecord>();
        await foreach (var r in Warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            static long L(object? v) => v is null ? 0 : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
            runs.Add(new SyncRunRecord(L(r[0]), (string)r[1]!, (string)r[2]!, (string)r[3]!, ParseStatus((string)r[4]!), (DateTime)r[5]!, (DateTime)r[6]!,
                r[7] as DateTime?, r[8] is null ? null : L(r[8]),
                new RunCounts(L(r[9]), L(r[10]), L(r[11]), L(r[12]), L(r[13]), L(r[14]), L(r[15]), L(r[16]), L(r[17]), L(r[18]), L(r[19]), L(r[20])),
                new RunTimings(TimeSpan.FromMilliseconds(L(r[21])), TimeSpan.FromMilliseconds(L(r[22])), TimeSpan.FromMilliseconds(L(r[23])), TimeSpan.FromMilliseconds(L(r[24]))),
                r[25] as string)
            {
                MatchRate = r[26] is null ? null : new RunMatchRate(L(r[26]), L(r[27])),
            });
        }
        return runs;
    }

    public async Task<IReadOnlyList<RowFailure>> FailuresAsync(string sync, long runId, int limit, CancellationToken cancellationToken)
    {
        var sql = Sql(
            $"SELECT run_id, key, change, operation, outcome, reason, attempts FROM {Tables.RunRows} WHERE sync_name = $1 AND run_id = $2 " +
            $"ORDER BY key LIMIT {Math.Max(1, limit).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            (SqlParameterType.String, sync), (SqlParameterType.Integer, runId));
        var rows = new List<RowFailure>();
        await foreach (var r in Warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
            rows.Add(new RowFailure(Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]!, r[3] as string,
                ParseOutcome((string)r[4]!), r[5] as string, Convert.ToInt32(r[6], System.Globalization.CultureInfo.InvariantCulture)));
        return rows;
    }

    public async Task<IReadOnlyList<MembershipEvent>> MembershipAsync(string sync, long? runId, int limit, CancellationToken cancellationToken)
    {
        var filter = runId is null ? "" : " AND run_id = $2";
        (SqlParameterType, object?)[] parameters = runId is null
            ? [(SqlParameterType.String, sync)]
            : [(SqlParameterType.String, sync), (SqlParameterType.Integer, runId.Value)];
        var sql = Sql($"SELECT run_id, key, event, occurred_at FROM {Tables.History} WHERE sync_name = $1{filter} ORDER BY run_id DESC, key " +
                      $"LIMIT {Math.Max(1, limit).ToString(System.Globalization.CultureInfo.InvariantCulture)}", parameters);
        var events = new List<MembershipEvent>();
        await foreach (var r in Warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
            events.Add(new MembershipEvent(Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]! == "enter", (DateTime)r[3]!));
        return events;
    }

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Warehouse.ScalarAsync(Sql($"SELECT count(*) FROM {table}"), cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.CompletedWithErrors => "completed_with_errors",
        RunStatus.Failed => "failed",
        _ => "interrupted",
    };

    public static RunStatus ParseStatus(string text) => text switch
    {
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "completed_with_errors" => RunStatus.CompletedWithErrors,
        "failed" => RunStatus.Failed,
        _ => RunStatus.Interrupted,
    };

    public static string Outcome(RowOutcome outcome) => outcome switch
    {
        RowOutcome.Invalid => "invalid",
        RowOutcome.Rejected => "rejected",
        _ => "pending",
    };

    private static RowOutcome ParseOutcome(string text) => text switch
    {
        "invalid" => RowOutcome.Invalid,
        "rejected" => RowOutcome.Rejected,
        _ => RowOutcome.Pending,
    };
}
