using System.Data.Common;
using System.Text.Json;
using Cohort.Server.Store;

namespace Cohort.Server.Scheduling;

/// <summary>A sync's job row: its schedule, when it runs next, who holds its lease, how the last run went.</summary>
public sealed record SyncJob(
    string SyncName, Schedule Schedule, DateTimeOffset? NextRunAt, string? LeaseOwner, DateTimeOffset? LeaseUntil,
    DateTimeOffset? LastStartedAt, DateTimeOffset? LastFinishedAt, long? LastDurationMs, string? LastStatus);

public sealed record SyncRun(
    string Id, string SyncName, string Trigger, string Status, string Runner, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Detail,
    SyncRunResult? Result = null)
{
    public double? DurationMs => FinishedAt is { } f ? (f - StartedAt).TotalMilliseconds : null;
}

/// <summary>Job rows and run records in the metadata store.</summary>
public sealed class JobStore(MetadataStore store)
{
    private const string JobColumns = "sync_name, schedule, next_run_at, lease_owner, lease_until, last_started_at, last_finished_at, last_duration_ms, last_status";

    /// <summary>Creates or updates the job of a sync with its schedule and next run (keeps the lease and the history).</summary>
    public async Task UpsertAsync(string syncName, Schedule schedule, DateTimeOffset? nextRunAt, CancellationToken ct = default)
    {
        var json = JsonSerializer.Serialize(schedule);
        await store.InTransactionAsync(async (c, tx) =>
        {
            var updated = await MetadataStore.ExecuteAsync(c, tx, "UPDATE sync_jobs SET schedule = @s, next_run_at = @next WHERE sync_name = @n", ct,
                ("@s", json), ("@next", nextRunAt?.ToUnixTimeMilliseconds()), ("@n", syncName)).ConfigureAwait(false);
            if (updated == 0)
                await MetadataStore.ExecuteAsync(c, tx, "INSERT INTO sync_jobs (sync_name, schedule, next_run_at) VALUES (@n, @s, @next)", ct,
                    ("@n", syncName), ("@s", json), ("@next", nextRunAt?.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string syncName, CancellationToken ct = default) =>
        await store.ExecuteAsync("DELETE FROM sync_jobs WHERE sync_name = @n", ct, ("@n", syncName)).ConfigureAwait(false);

    /// <summary>Makes a sync due now (a manual trigger); the next scheduler tick on any server picks it up.</summary>
    public async Task<bool> MakeDueAsync(string syncName, DateTimeOffset now, CancellationToken ct = default) =>
        await store.ExecuteAsync("UPDATE sync_jobs SET next_run_at = @now WHERE sync_name = @n", ct,
            ("@now", now.ToUnixTimeMilliseconds()), ("@n", syncName)).ConfigureAwait(false) == 1;

    public async Task<SyncJob?> GetAsync(string syncName, CancellationToken ct = default) =>
        (await store.QueryAsync($"SELECT {JobColumns} FROM sync_jobs WHERE sync_name = @n", ReadJob, ct, ("@n", syncName)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<List<SyncJob>> ListAsync(CancellationToken ct = default) =>
        await store.QueryAsync($"SELECT {JobColumns} FROM sync_jobs ORDER BY sync_name", ReadJob, ct).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct) =>
        store.ClaimDueJobsAsync(owner, now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), max, ct);

    /// <summary>Records the end of a run and frees the lease, but only if <paramref name="owner"/> still holds it.</summary>
    public async Task<bool> CompleteAsync(string syncName, string owner, DateTimeOffset started, DateTimeOffset finished, string status,
        DateTimeOffset? nextRunAt, CancellationToken ct = default) =>
        await store.ExecuteAsync("""
            UPDATE sync_jobs SET lease_owner = NULL, lease_until = NULL, last_started_at = @started, last_finished_at = @finished,
                last_duration_ms = @duration, last_status = @status,
                next_run_at = CASE WHEN next_run_at IS NOT NULL AND next_run_at > @started THEN next_run_at ELSE @next END
            WHERE sync_name = @n AND lease_owner = @owner
            """, ct, ("@started", started.ToUnixTimeMilliseconds()), ("@finished", finished.ToUnixTimeMilliseconds()),
            ("@duration", (long)(finished - started).TotalMilliseconds), ("@status", status), ("@next", nextRunAt?.ToUnixTimeMilliseconds()),
            ("@n", syncName), ("@owner", owner)).ConfigureAwait(false) == 1;

    public async Task StartRunAsync(SyncRun run, CancellationToken ct = default) =>
        await store.ExecuteAsync("""
            INSERT INTO sync_runs (id, sync_name, trigger_kind, status, runner, started_at, finished_at, detail)
            VALUES (@id, @sync, @trigger, @status, @runner, @started, NULL, NULL)
            """, ct, ("@id", run.Id), ("@sync", run.SyncName), ("@trigger", run.Trigger), ("@status", run.Status), ("@runner", run.Runner),
            ("@started", run.StartedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);

    public async Task FinishRunAsync(string id, string status, DateTimeOffset finished, string? detail, SyncRunResult? result = null, CancellationToken ct = default) =>
        await store.InTransactionAsync(async (c, tx) =>
        {
            await MetadataStore.ExecuteAsync(c, tx, "UPDATE sync_runs SET status = @status, finished_at = @at, detail = @detail WHERE id = @id", ct,
                ("@status", status), ("@at", finished.ToUnixTimeMilliseconds()), ("@detail", detail), ("@id", id)).ConfigureAwait(false);
            if (result is { } r)
                await MetadataStore.ExecuteAsync(c, tx, """
                    INSERT INTO sync_run_results (run_id, engine_run_id, planned, added, changed, removed, sent, succeeded, failed, skipped, pending,
                        requests, retries, plan_ms, send_ms, commit_ms, audience_size)
                    VALUES (@id, @e, @planned, @added, @changed, @removed, @sent, @succeeded, @failed, @skipped, @pending, @requests, @retries,
                        @plan, @send, @commit, @size)
                    """, ct, ("@id", id), ("@e", r.EngineRunId), ("@planned", r.Planned), ("@added", r.Added), ("@changed", r.Changed),
                    ("@removed", r.Removed), ("@sent", r.Sent), ("@succeeded", r.Succeeded), ("@failed", r.Failed), ("@skipped", r.Skipped),
                    ("@pending", r.Pending), ("@requests", r.Requests), ("@retries", r.Retries), ("@plan", r.PlanMs), ("@send", r.SendMs),
                    ("@commit", r.CommitMs), ("@size", r.AudienceSize)).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);

    private const string RunSelect = """
        SELECT r.id, r.sync_name, r.trigger_kind, r.status, r.runner, r.started_at, r.finished_at, r.detail,
               x.engine_run_id, x.planned, x.added, x.changed, x.removed, x.sent, x.succeeded, x.failed, x.skipped, x.pending,
               x.requests, x.retries, x.plan_ms, x.send_ms, x.commit_ms, x.audience_size
        FROM sync_runs r LEFT JOIN sync_run_results x ON x.run_id = r.id
        """;

    public async Task<List<SyncRun>> RunsAsync(string? syncName, int limit = 100, CancellationToken ct = default) =>
        await store.QueryAsync($"""
            {RunSelect}
            {(syncName is null ? "" : "WHERE r.sync_name = @sync")} ORDER BY r.started_at DESC, r.id LIMIT @limit
            """, ReadRun, ct, syncName is null ? [("@limit", Math.Clamp(limit, 1, 1000))] : [("@sync", syncName), ("@limit", Math.Clamp(limit, 1, 1000))]).ConfigureAwait(false);

    public async Task<SyncRun?> RunAsync(string id, CancellationToken ct = default) =>
        (await store.QueryAsync($"{RunSelect} WHERE r.id = @id", ReadRun, ct, ("@id", id)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>
    /// Takes the lease of one sync's job whether or not it is due (a run started by hand, or a dry run), when no other
    /// process holds it; false when it is leased (the sync is running somewhere).
    /// </summary>
    public async Task<bool> TryLeaseAsync(string syncName, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default) =>
        await store.ExecuteAsync("""
            UPDATE sync_jobs SET lease_owner = @owner, lease_until = @until
            WHERE sync_name = @n AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < @now)
            """, ct, ("@owner", owner), ("@until", (now + lease).ToUnixTimeMilliseconds()), ("@n", syncName), ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;

    /// <summary>Gives back a lease taken with <see cref="TryLeaseAsync"/> (only if <paramref name="owner"/> still holds it).</summary>
    public async Task ReleaseAsync(string syncName, string owner, CancellationToken ct = default) =>
        await store.ExecuteAsync("UPDATE sync_jobs SET lease_owner = NULL, lease_until = NULL WHERE sync_name = @n AND lease_owner = @owner", ct,
            ("@n", syncName), ("@owner", owner)).ConfigureAwait(false);

    private static SyncJob ReadJob(DbDataReader r) => new(
        r.GetString(0), JsonSerializer.Deserialize<Schedule>(r.GetString(1)) ?? Schedule.ManualOnly, Time(r, 2), MetadataStore.Text(r, 3), Time(r, 4),
        Time(r, 5), Time(r, 6), MetadataStore.Long(r, 7), MetadataStore.Text(r, 8));

    private static SyncRun ReadRun(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5)!.Value, Time(r, 6), MetadataStore.Text(r, 7),
        MetadataStore.Long(r, 8) is { } engineRun
            ? new SyncRunResult(engineRun, L(r, 9), L(r, 10), L(r, 11), L(r, 12), L(r, 13), L(r, 14), L(r, 15), L(r, 16), L(r, 17), L(r, 18), L(r, 19),
                L(r, 20), L(r, 21), L(r, 22), MetadataStore.Long(r, 23))
            : null);

    private static long L(DbDataReader r, int i) => MetadataStore.Long(r, i) ?? 0;

    private static DateTimeOffset? Time(DbDataReader r, int i) => MetadataStore.Long(r, i) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
