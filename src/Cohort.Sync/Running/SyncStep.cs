namespace Cohort.Sync.Running;

/// <summary>
/// The points of a run between which state is written, in order. A crash hook (<see cref="SyncRunOptions.CrashHook"/>)
/// is called at each, so tests can stop a run at any of them exactly as a killed process would stop.
/// </summary>
public enum SyncStep
{
    /// <summary>The run row exists; nothing else written.</summary>
    RunStarted,
    /// <summary>Earlier runs' confirmed rows are folded into the snapshot.</summary>
    Recovered,
    /// <summary>The fold found rows to apply (called during folds, at the start and end of runs).</summary>
    FoldStarted,
    FoldPrepared,
    FoldUpdated,
    FoldInserted,
    FoldDeleted,
    FoldRecorded,
    /// <summary>The plan table is written.</summary>
    Planned,
    /// <summary>A page of the plan is read and about to be sent.</summary>
    BeforeSend,
    /// <summary>A page was sent and confirmed by the destination, and nothing of it is committed yet.</summary>
    AfterSend,
    /// <summary>A page's confirmed rows are in the log.</summary>
    AfterCommit,
    /// <summary>The destination completed the run (a file was published), its rows not yet confirmed in the log.</summary>
    AfterComplete,
    /// <summary>The run's rows are confirmed in the log, not yet folded.</summary>
    AfterConfirm,
    /// <summary>Everything is folded; the run record is not yet finished.</summary>
    BeforeFinish,
}

/// <summary>Where a crash hook was called: the step and, for per-page steps, the page number (from 1).</summary>
public readonly record struct CrashPoint(SyncStep Step, int Page)
{
    public override string ToString() => Page > 0 ? $"{Step}#{Page}" : Step.ToString();
}

/// <summary>
/// Thrown by crash hooks to stop a run as a killed process would: the engine writes nothing more (no failure record,
/// no completion), leaving the state exactly as it was at that point.
/// </summary>
public sealed class SimulatedCrashException(CrashPoint point) : Exception($"Simulated crash at {point}.")
{
    public CrashPoint Point { get; } = point;
}
