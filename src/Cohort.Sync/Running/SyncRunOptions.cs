using Cohort.Core.Time;

namespace Cohort.Sync.Running;

/// <summary>Options of one run (or dry run).</summary>
public sealed record SyncRunOptions
{
    /// <summary>The instant (and time zone) the sync's query is evaluated at. Default: now, in the project's time zone.</summary>
    public EvaluationContext? Evaluation { get; init; }

    /// <summary>Rows read from the plan per page. Default: 16 × batch size × concurrency, between 1,000 and 50,000.</summary>
    public int? PageSize { get; init; }

    /// <summary>
    /// Called at every <see cref="SyncStep"/>; throwing <see cref="SimulatedCrashException"/> stops the run as a killed
    /// process would (for crash-safety tests). Null in production.
    /// </summary>
    public Func<CrashPoint, ValueTask>? CrashHook { get; init; }
}
