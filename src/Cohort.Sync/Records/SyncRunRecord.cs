namespace Cohort.Sync.Records;

public enum RunStatus
{
    /// <summary>In progress (or its process died and no later run has looked yet).</summary>
    Running,
    /// <summary>Every planned row was confirmed or skipped.</summary>
    Succeeded,
    /// <summary>The run went through, but some rows failed (invalid or rejected) or stayed pending; they are retried next run.</summary>
    CompletedWithErrors,
    /// <summary>The run stopped early: credentials or configuration (the error says which), the warehouse, or the destination's completion.</summary>
    Failed,
    /// <summary>The process running it stopped before it finished; found and closed by the next run of the sync.</summary>
    Interrupted,
}

/// <summary>
/// What happened to the rows of one run. Every planned row ends in exactly one of succeeded, failed (invalid before
/// sending, or rejected by the destination), skipped (the mode sends nothing for it) or pending (not confirmed:
/// retries ran out, or the run stopped before reaching it), so <c>Planned == Succeeded + Failed + Skipped + Pending</c>.
/// <see cref="Sent"/> counts rows handed to the destination at least once (succeeded, rejected and some pending ones).
/// </summary>
public sealed record RunCounts(
    long Planned = 0,
    long Added = 0,
    long Changed = 0,
    long Removed = 0,
    long Sent = 0,
    long Succeeded = 0,
    long FailedInvalid = 0,
    long FailedRejected = 0,
    long Skipped = 0,
    long Pending = 0,
    long Requests = 0,
    long Retries = 0)
{
    public long Failed => FailedInvalid + FailedRejected;

    /// <summary>The accounting identity: every planned row has exactly one outcome.</summary>
    public bool IsBalanced => Planned == Succeeded + Failed + Skipped + Pending && Planned == Added + Changed + Removed;
}

public sealed record RunTimings(TimeSpan Plan, TimeSpan Send, TimeSpan Commit, TimeSpan Total);

/// <summary>One run of a sync, as stored in <c>cohort_state.runs</c>.</summary>
public sealed record SyncRunRecord(
    long RunId,
    string Sync,
    string Destination,
    string Mode,
    RunStatus Status,
    DateTime StartedAt,
    DateTime AsOf,
    DateTime? FinishedAt,
    long? AudienceSize,
    RunCounts Counts,
    RunTimings Timings,
    string? Error)
{
    /// <summary>
    /// The match rate of the rows this run sent for upsert (added and changed): how many had at least one identifier
    /// the platform can use after its normalisation. Null for destinations that do not match on identifiers.
    /// </summary>
    public RunMatchRate? MatchRate { get; init; }
}

/// <summary>Of <see cref="Records"/> upserted rows, <see cref="Usable"/> carried an identifier the platform can match on.</summary>
public sealed record RunMatchRate(long Records, long Usable)
{
    public double Share => Records == 0 ? 0 : (double)Usable / Records;
}

/// <summary>The final outcome of a row that was not confirmed, kept per run in <c>cohort_state.run_rows</c>.</summary>
public enum RowOutcome
{
    /// <summary>Never sent: it failed a check before sending (no identifier, a required field empty).</summary>
    Invalid,
    /// <summary>The destination refused it (the reason is the destination's).</summary>
    Rejected,
    /// <summary>Not confirmed: retries ran out; it is sent again next run.</summary>
    Pending,
}

public sealed record RowFailure(long RunId, string Key, string Change, string? Operation, RowOutcome Outcome, string? Reason, int Attempts);

/// <summary>A row entering or leaving a sync's result, committed in a run (<c>cohort_state.membership_history</c>).</summary>
public sealed record MembershipEvent(long RunId, string Key, bool Entered, DateTime At);
