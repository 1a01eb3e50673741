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
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>No sync engine is connected to this server yet.</summary>
    public const string NotAvailable = "not_available";
}

/// <summary>What one execution of a sync reported back to the scheduler.</summary>
public sealed record SyncRunOutcome(string Status, string? Detail = null);

/// <summary>
/// Executes one run of a sync. The scheduler calls it while holding the sync's lease, so two server processes never
/// run the same sync at once. The sync engine provides the real implementation (register it in DI in place of
/// <see cref="NotAvailableSyncRunner"/>); it must honour cancellation (server shutdown, lease loss).
/// </summary>
public interface ISyncRunner
{
    /// <summary>A short name recorded with each run (e.g. "lightning", "not-available").</summary>
    string Name { get; }

    Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>The runner until the sync engine is connected: records every run as "not available" and does nothing else.</summary>
public sealed class NotAvailableSyncRunner : ISyncRunner
{
    public string Name => "not-available";

    public Task<SyncRunOutcome> RunAsync(string syncName, SyncTrigger trigger, CancellationToken cancellationToken) =>
        Task.FromResult(new SyncRunOutcome(RunStatuses.NotAvailable, "The sync engine is not connected to this server yet; nothing was sent."));
}
