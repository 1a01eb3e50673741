using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Schema;

public enum ModelKind
{
    /// <summary>The entity audiences select; one row per primary key.</summary>
    Parent,
    /// <summary>Rows related to a parent or to each other (orders, subscriptions, products).</summary>
    Related,
    /// <summary>Timestamped behaviour; every row is one occurrence of an event.</summary>
    Event,
}

/// <summary>Where a model's rows come from: a warehouse table or a SQL query.</summary>
public abstract record ModelSource
{
    private ModelSource() { }

    /// <summary>A table, optionally schema-qualified (<c>analytics.orders</c>).</summary>
    public sealed record Table(string? Schema, string Name) : ModelSource
    {
        public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
    }

    /// <summary>A SELECT statement written by the data team; used as a derived table, never altered.</summary>
    public sealed record Query(string Sql) : ModelSource
    {
        public override string ToString() => "(sql)";
    }
}

public sealed record ColumnDefinition(
    string Name,
    DataType Type,
    string? Description = null,
    bool Pii = false,
    ImmutableArray<string> EnumValues = default,
    SourceLocation? Location = null)
{
    public ImmutableArray<string> EnumValues { get; init; } = EnumValues.IsDefault ? [] : EnumValues;
}

public sealed record ModelDefinition(
    string Name,
    ModelKind Kind,
    ModelSource Source,
    ImmutableArray<ColumnDefinition> Columns,
    string? PrimaryKey = null,
    string? TimestampColumn = null,
    string? EventNameColumn = null,
    string? EventName = null,
    ImmutableArray<string> EventNames = default,
    string? Description = null,
    SourceLocation? Location = null)
{
    public ImmutableArray<string> EventNames { get; init; } = EventNames.IsDefault ? [] : EventNames;

    public ColumnDefinition? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// For an event model with no event-name column the whole table is one event, named by
    /// <see cref="EventName"/> or, when that is absent, by the model name.
    /// </summary>
    public string? SingleEventName => Kind == ModelKind.Event && EventNameColumn is null ? EventName ?? Name : null;
}

public enum Cardinality
{
    OneToOne,
    OneToMany,
    ManyToOne,
    ManyToMany,
}

/// <summary>The join model of a many-to-many relationship.</summary>
public sealed record ThroughDefinition(string Model, string FromKey, string ToKey);

/// <summary>
/// A link from one model to another. Traversable in both directions: from <see cref="From"/> by
/// <see cref="Name"/>, and from <see cref="To"/> by <see cref="ReverseName"/> (or the From model's name).
/// </summary>
public sealed record RelationshipDefinition(
    string Name,
    string From,
    string To,
    Cardinality Cardinality,
    string FromKey,
    string ToKey,
    ThroughDefinition? Through = null,
    string? ReverseName = null,
    SourceLocation? Location = null);

public enum TraitKind
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
    First,
    Last,
    MostFrequent,
    DistinctCount,
    List,
}

/// <summary>
/// A value computed per row of <see cref="Model"/> from the rows reached through <see cref="Path"/>
/// (relationships to related or event models), filtered by <see cref="Where"/>, <see cref="EventNames"/> and
/// <see cref="Window"/>.
/// </summary>
public sealed record TraitDefinition(
    string Name,
    string Model,
    TraitKind Kind,
    ImmutableArray<string> Path,
    string? Column,
    ImmutableArray<string> EventNames,
    Condition? Where,
    TimeWindow Window,
    string? Description = null,
    SourceLocation? Location = null);

public sealed record SchemaDefinition(
    ImmutableArray<ModelDefinition> Models,
    ImmutableArray<RelationshipDefinition> Relationships,
    ImmutableArray<TraitDefinition> Traits)
{
    public static readonly SchemaDefinition Empty = new([], [], []);

    public ModelDefinition? FindModel(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    public TraitDefinition? FindTrait(string name) =>
        Traits.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    public ModelDefinition GetModel(string name) =>
        FindModel(name) ?? throw new KeyNotFoundException($"Model '{name}' is not in the schema.");
}
