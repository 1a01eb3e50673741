using System.Collections.Immutable;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Audiences;

/// <summary>
/// A node of the condition language. The set of node types is closed; traverse with an exhaustive switch.
/// Every condition evaluates to true or false for a row of its context model (never unknown): see docs/semantics.md.
/// </summary>
public abstract record Condition
{
    private protected Condition() { }

    /// <summary>Where the condition was written; not part of its meaning.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>True when every child is true. An empty group is a validation error.</summary>
public sealed record AllCondition(ImmutableArray<Condition> Conditions) : Condition;

/// <summary>True when at least one child is true. An empty group is a validation error.</summary>
public sealed record AnyCondition(ImmutableArray<Condition> Conditions) : Condition;

public sealed record NotCondition(Condition Inner) : Condition;

/// <summary>A column of the context model against a test.</summary>
public sealed record PropertyCondition(string Column, PropertyTest Test) : Condition;

/// <summary>
/// Occurrences of one or more events (optionally filtered by <see cref="Where"/> over the event model's columns)
/// inside <see cref="Window"/>, measured by <see cref="Measure"/>. Events after asOf never count.
/// </summary>
public sealed record EventCondition(
    string? Model,
    ImmutableArray<string> Names,
    Condition? Where,
    TimeWindow Window,
    Measure Measure) : Condition;

/// <summary>Ordered steps performed by the same row, optionally followed by the absence of an event.</summary>
public sealed record SequenceCondition(
    ImmutableArray<SequenceStep> Steps,
    Duration? Within,
    TimeWindow Window,
    SequenceStep? NotFollowedBy) : Condition;

/// <summary>
/// One step of a sequence. <see cref="MaxGap"/> bounds the time since the previous step (for a not-followed-by
/// step: the time after the last step during which the event must not happen).
/// </summary>
public sealed record SequenceStep(string? Model, ImmutableArray<string> Names, Condition? Where, Duration? MaxGap)
{
    public SourceLocation? Location { get; init; }
}

/// <summary>Rows reached through a path of relationships, filtered by <see cref="Where"/>, measured by <see cref="Measure"/>.</summary>
public sealed record RelationCondition(
    ImmutableArray<string> Path,
    Condition? Where,
    TimeWindow Window,
    Measure Measure) : Condition;

/// <summary>A trait's value (defined in the schema) against a test.</summary>
public sealed record TraitCondition(string Trait, PropertyTest Test) : Condition;

/// <summary>Membership (or non-membership) of another audience over the same parent model.</summary>
public sealed record AudienceCondition(string Audience, bool Member) : Condition;

/// <summary>How an event or relation condition measures its matching rows.</summary>
public abstract record Measure
{
    private Measure() { }

    public sealed record Count(CountComparator Comparator) : Measure;

    /// <summary>An aggregate of a numeric column of the matching rows against a numeric test.</summary>
    public sealed record Aggregate(AggregateFunction Function, string Column, PropertyTest Test) : Measure;

    /// <summary>The earliest matching row's timestamp against a temporal test.</summary>
    public sealed record FirstOccurrence(PropertyTest Test) : Measure;

    /// <summary>The latest matching row's timestamp against a temporal test.</summary>
    public sealed record LastOccurrence(PropertyTest Test) : Measure;

    public static readonly Measure Performed = new Count(CountComparator.AtLeastOne);
}

/// <summary>Which rows of an event (or timestamped related) model count, by their timestamp.</summary>
public abstract record TimeWindow
{
    private TimeWindow() { }

    /// <summary>Every row up to and including asOf (for related models: every row).</summary>
    public sealed record Ever : TimeWindow
    {
        public static readonly Ever Instance = new();
    }

    /// <summary>asOf - duration &lt;= t &lt;= asOf.</summary>
    public sealed record WithinLast(Duration Duration) : TimeWindow;

    /// <summary>asOf - far &lt;= t &lt;= asOf - near.</summary>
    public sealed record BetweenAgo(Duration Near, Duration Far) : TimeWindow;

    /// <summary>An absolute range, inclusive; dates cover whole days in the evaluation time zone.</summary>
    public sealed record Absolute(Literal From, Literal To) : TimeWindow;
}
