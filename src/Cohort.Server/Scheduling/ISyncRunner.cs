namespace Cohort.Server.Scheduling;

/// <summary>Why a run started.</summary>
public enum SyncTrigger
{
    Schedule,
    Manual,
}

public static class RunStatuses
{
    public const string Running = "running";
    /// <summary>Every planned row was confirmed by the destination or skipped by the mode.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>The run went through, but some rows failed or stayed pending (see the run's errors); they are retried next run.</summary>
    public const string CompletedWithErrors = "completed_with_errors";
    /// <summary>The run stopped early (credentials, configuration, an invalid definition, the warehouse); the detail says why.</summary>
    public const string Failed = "failed";
    /// <summary>No sync engine is connected to this server (a runner registered for tests or embedding).</summary>
    public const string NotAvailable = "not_available";
}

/// <summary>
/// What a run did, row by row, as the sync engine recorded it (docs/sync.md, "Run records"):
/// <c>Planned = Succeeded + Failed + Skipped + Pending</c>. <see cref="EngineRunId"/> is the run's id in the
/// warehouse's <c>cohort_state.runs</c>, where its per-row errors are.
/// </summary>
public sealed record SyncRunResult(
    long EngineRunId, long Planned, long Added, long Changed, long Removed, long Sent, long Succeeded, long Failed, long Skipped, long Pending,
    long Requests, long Retries, long PlanMs, long SendMs, long CommitMs, long? AudienceSize)
{
    /// <summary>Upserted rows, and those with an identifier the platform can match on; null for destinations that do not match.</summary>
    public long? MatchRecords { get; init; }

    public long? MatchUsable { get; init; }
}

/// <summary>What one execution of a sync reported back to the scheduler.</summary>
public sealed record SyncRunOutcome(string Status, string? Detail = null, SyncRunResult? Result = null);

/// <summary>
/// Executes one run of a sync. The scheduler calls it while holding the sync's lease, so two server processes never
/// run the same sync at once. <see cref="EngineSyncRunner"/> runs syncs with the sync engine; another runner can be
/// registered through <see cref="ServerOptions.ConfigureServices"/>. It must honour cancellation (server shutdown, lease loss).
/// </summary>
public interface ISyncRunner
{
    /// <summary>A short name recorded with each run (e.g. "lightning", "not-available").</summary>
    string Name { get; }

    Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>A runner that sends nothing and records every run as "not available" (for servers embedded without the sync engine, and tests).</summary>
public sealed class NotAvailableSyncRunner : ISyncRunner
{
    public string Name => "not-available";

    public Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken) =>
        Task.FromResult(new SyncRunOutcome(RunStatuses.NotAvailable, "The sync engine is not connected to this server yet; nothing was sent."));
}
