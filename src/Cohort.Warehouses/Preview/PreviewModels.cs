using System.Collections.Immutable;

namespace Cohort.Warehouses.Preview;

/// <summary>What a preview should include besides the count and the per-block counts.</summary>
public sealed record PreviewOptions
{
    /// <summary>Rows in the sample; 0 for none.</summary>
    public int SampleSize { get; init; } = 10;

    /// <summary>Parent columns to show in the sample; null for every scalar column.</summary>
    public IReadOnlyList<string>? SampleColumns { get; init; }

    /// <summary>Show PII columns unmasked. Only for people allowed to see them.</summary>
    public bool ShowPii { get; init; }

    /// <summary>A parent column to break the members down by.</summary>
    public string? BreakdownColumn { get; init; }

    public int BreakdownGroups { get; init; } = 20;

    /// <summary>Other audiences (of the same model) to measure the overlap with.</summary>
    public IReadOnlyList<string> OverlapWith { get; init; } = [];
}

/// <summary>The count after blocks 1..Index of the top-level AND (or after an exclusion).</summary>
public sealed record BlockCount(int Index, string Label, long Count);

public sealed record PreviewSample(ImmutableArray<string> Columns, ImmutableArray<ImmutableArray<object?>> Rows, ImmutableArray<string> MaskedColumns);

public sealed record BreakdownRow(object? Value, long Count);

/// <summary>Sizes of audiences and of every pair's intersection.</summary>
public sealed record OverlapResult(ImmutableArray<string> Audiences, ImmutableArray<long> Sizes, ImmutableArray<OverlapPair> Pairs, long? All);

public sealed record OverlapPair(string First, string Second, long Both);

public sealed record QueryTiming(string Query, TimeSpan Elapsed);

public sealed record AudiencePreview(
    string Audience,
    DateTime AsOfUtc,
    string TimeZone,
    long Count,
    ImmutableArray<BlockCount> Blocks,
    PreviewSample? Sample,
    ImmutableArray<BreakdownRow>? Breakdown,
    OverlapResult? Overlap,
    ImmutableArray<QueryTiming> Timings);
