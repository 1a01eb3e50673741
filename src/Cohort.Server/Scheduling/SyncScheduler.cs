using Cohort.Server.Security;
using Cohort.Server.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cohort.Server.Scheduling;

public sealed class SchedulerOptions
{
    /// <summary>How often a server looks for due jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a claimed job stays leased; a server that dies mid-run frees its jobs after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Jobs claimed per tick.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>This process's name in leases (unique per process by default).</summary>
    public string Owner { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Runs due syncs. Each tick claims due jobs with a lease in the metadata store (PostgreSQL: FOR UPDATE SKIP LOCKED;
/// SQLite: an atomic UPDATE that re-checks the lease), runs them through <see cref="ISyncRunner"/>, records the run,
/// and computes the next time from the schedule. Time comes only from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SyncScheduler(JobStore jobs, ISyncRunner runner, AuditLog audit, TimeProvider clock, SchedulerOptions options,
    Func<TimeZoneInfo> projectZone, ILogger<SyncScheduler> logger)
{
    public string Owner => options.Owner;

    /// <summary>Claims and runs every due job once. Returns the names of the syncs it ran.</summary>
    public async Task<IReadOnlyList<string>> TickAsync(CancellationToken ct = default)
    {
        var ran = new List<string>();
        while (!ct.IsCancellationRequested)
        {
            var claimed = await jobs.ClaimDueAsync(options.Owner, clock.GetUtcNow(), options.Lease, options.BatchSize, ct).ConfigureAwait(false);
            if (claimed.Count == 0) break;
            foreach (var name in claimed)
            {
                await RunOneAsync(name, ct).ConfigureAwait(false);
                ran.Add(name);
            }
        }
        return ran;
    }

    /// <summary>
    /// Runs one sync now, in this process, under its lease (a run started by hand that the caller waits for). Throws
    /// <see cref="Services.ConflictException"/> when the sync is running (here or on another server sharing the store).
    /// </summary>
    public async Task<string> RunNowAsync(string syncName, CancellationToken ct = default)
    {
        if (!await jobs.TryLeaseAsync(syncName, options.Owner, clock.GetUtcNow(), options.Lease, ct).ConfigureAwait(false))
            throw new Services.ConflictException($"'{syncName}' is running now; try again when it has finished.");
        return await RunOneAsync(syncName, ct, SyncTrigger.Manual).ConfigureAwait(false) ?? throw new Services.NotFoundException("sync", syncName);
    }

    /// <summary>Runs <paramref name="work"/> while holding the sync's lease, so no run of it starts meanwhile (dry runs).</summary>
    public async Task<T> WithLeaseAsync<T>(string syncName, Func<Task<T>> work, CancellationToken ct = default)
    {
        if (!await jobs.TryLeaseAsync(syncName, options.Owner, clock.GetUtcNow(), options.Lease, ct).ConfigureAwait(false))
            throw new Services.ConflictException($"'{syncName}' is running now; try again when it has finished.");
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            await jobs.ReleaseAsync(syncName, options.Owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string?> RunOneAsync(string syncName, CancellationToken ct, SyncTrigger? forced = null)
    {
        var job = await jobs.GetAsync(syncName, ct).ConfigureAwait(false);
        if (job is null) return null;
        // A job that was due on its schedule ran because of the schedule; anything else was made due by hand.
        var trigger = forced ?? (job.Schedule.Type == Schedule.Manual ? SyncTrigger.Manual : SyncTrigger.Schedule);
        var started = clock.GetUtcNow();
        var run = new SyncRun(Accounts.NewId("run"), syncName, trigger.ToString().ToLowerInvariant(), RunStatuses.Running, runner.Name, started, null, null);
        await jobs.StartRunAsync(run, ct).ConfigureAwait(false);
        SyncRunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(syncName, trigger, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = new SyncRunOutcome(RunStatuses.Failed, "Cancelled: the server is shutting down.");
        }
#pragma warning disable CA1031 // A failing runner must not stop the scheduler; the failure is recorded on the run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Sync {Sync} failed", syncName);
            outcome = new SyncRunOutcome(RunStatuses.Failed, e.Message);
        }
        var finished = clock.GetUtcNow();
        await jobs.FinishRunAsync(run.Id, outcome.Status, finished, outcome.Detail, outcome.Result, CancellationToken.None).ConfigureAwait(false);
        var next = job.Schedule.NextAfter(finished, projectZone());
        var stillOwned = await jobs.CompleteAsync(syncName, options.Owner, started, finished, outcome.Status, next, CancellationToken.None).ConfigureAwait(false);
        await audit.WriteAsync("scheduler:" + options.Owner, "sync.run", "sync", syncName, AuditOutcomes.Ok,
            after: outcome.Status, detail: $"run {run.Id} ({run.Trigger}, runner {runner.Name}){(stillOwned ? "" : "; the lease had expired")}",
            ct: CancellationToken.None).ConfigureAwait(false);
        return run.Id;
    }
}

/// <summary>Ticks the scheduler on a timer from the injected <see cref="TimeProvider"/>.</summary>
internal sealed class SchedulerService(SyncScheduler scheduler, SchedulerOptions options, TimeProvider clock, ILogger<SchedulerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        using var timer = new PeriodicTimer(options.PollInterval, clock);
        do
        {
            try
            {
                await scheduler.TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a store hiccup; the next tick tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Scheduler tick failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
