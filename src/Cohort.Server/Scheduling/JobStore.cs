using System.Data.Common;
using System.Text.Json;
using Cohort.Server.Store;

namespace Cohort.Server.Scheduling;

/// <summary>A sync's job row: its schedule, when it runs next, who holds its lease, how the last run went.</summary>
public sealed record SyncJob(
    string SyncName, Schedule Schedule, DateTimeOffset? NextRunAt, string? LeaseOwner, DateTimeOffset? LeaseUntil,
    DateTimeOffset? LastStartedAt, DateTimeOffset? LastFinishedAt, long? LastDurationMs, string? LastStatus);

public sealed record SyncRun(
    string Id, string SyncName, string Trigger, string Status, string Runner, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Detail)
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

    public async Task FinishRunAsync(string id, string status, DateTimeOffset finished, string? detail, CancellationToken ct = default) =>
        await store.ExecuteAsync("UPDATE sync_runs SET status = @status, finished_at = @at, detail = @detail WHERE id = @id", ct,
            ("@status", status), ("@at", finished.ToUnixTimeMilliseconds()), ("@detail", detail), ("@id", id)).ConfigureAwait(false);

    public async Task<List<SyncRun>> RunsAsync(string? syncName, int limit = 100, CancellationToken ct = default) =>
        await store.QueryAsync($"""
            SELECT id, sync_name, trigger_kind, status, runner, started_at, finished_at, detail FROM sync_runs
            {(syncName is null ? "" : "WHERE sync_name = @sync")} ORDER BY started_at DESC, id LIMIT @limit
            """, ReadRun, ct, syncName is null ? [("@limit", Math.Clamp(limit, 1, 1000))] : [("@sync", syncName), ("@limit", Math.Clamp(limit, 1, 1000))]).ConfigureAwait(false);

    private static SyncJob ReadJob(DbDataReader r) => new(
        r.GetString(0), JsonSerializer.Deserialize<Schedule>(r.GetString(1)) ?? Schedule.ManualOnly, Time(r, 2), MetadataStore.Text(r, 3), Time(r, 4),
        Time(r, 5), Time(r, 6), MetadataStore.Long(r, 7), MetadataStore.Text(r, 8));

    private static SyncRun ReadRun(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5)!.Value, Time(r, 6), MetadataStore.Text(r, 7));

    private static DateTimeOffset? Time(DbDataReader r, int i) => MetadataStore.Long(r, i) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
