namespace Cohort.Sync.Planning;

/// <summary>How a row differs from the last committed snapshot.</summary>
public enum ChangeKind
{
    /// <summary>In the result, not in the snapshot: the row entered.</summary>
    Added,
    /// <summary>In both, with a different payload hash.</summary>
    Changed,
    /// <summary>In the snapshot, not in the result: the row left.</summary>
    Removed,
}

/// <summary>One row of a plan: its key, its change, and its payload (for removed rows, the payload last sent).</summary>
public sealed record PlannedRow(string Key, ChangeKind Change, string? Payload)
{
    internal static ChangeKind Parse(string text) => text switch
    {
        "added" => ChangeKind.Added,
        "changed" => ChangeKind.Changed,
        "removed" => ChangeKind.Removed,
        _ => throw new InvalidOperationException($"Unknown change '{text}' in a plan table."),
    };

    internal static string Text(ChangeKind change) => change switch
    {
        ChangeKind.Added => "added",
        ChangeKind.Changed => "changed",
        _ => "removed",
    };
}

/// <summary>The size of a plan: rows per change, and the size of the result it was computed from.</summary>
public sealed record PlanCounts(long Added, long Changed, long Removed, long ResultSize, TimeSpan Elapsed)
{
    public long Planned => Added + Changed + Removed;
}
