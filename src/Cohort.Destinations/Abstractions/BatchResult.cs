using System.Collections.Immutable;

namespace Cohort.Destinations.Abstractions;

public enum RecordOutcome
{
    /// <summary>The destination confirmed the record; the engine may commit it.</summary>
    Succeeded,
    /// <summary>The destination refused this record (its reason is kept); other records may have succeeded.</summary>
    Rejected,
    /// <summary>Never sent: the record failed validation or normalisation before sending (e.g. no usable identifier).</summary>
    Invalid,
    /// <summary>Not confirmed (a temporary per-record failure); retried on the next attempt or run.</summary>
    Pending,
}

public sealed record RecordResult(string Key, RecordOutcome Outcome, string? Reason = null)
{
    public static RecordResult Ok(string key) => new(key, RecordOutcome.Succeeded);
}

public sealed record BatchResult(ImmutableArray<RecordResult> Records)
{
    public static BatchResult AllSucceeded(DestinationBatch batch) =>
        new([.. batch.Records.Select(r => RecordResult.Ok(r.Key))]);
}
