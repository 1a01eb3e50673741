using System.Collections.Immutable;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Audiences;

/// <summary>A named condition over one parent model, with exclusions, an optional size limit and splits.</summary>
public sealed record AudienceDefinition(
    string Name,
    string Model,
    Condition? Condition,
    ImmutableArray<string> Exclusions = default,
    SizeLimit? Limit = null,
    SplitDefinition? Splits = null,
    string? Description = null,
    ImmutableArray<string> Labels = default,
    string? Folder = null,
    SourceLocation? Location = null)
{
    public ImmutableArray<string> Exclusions { get; init; } = Exclusions.IsDefault ? [] : Exclusions;
    public ImmutableArray<string> Labels { get; init; } = Labels.IsDefault ? [] : Labels;
}

public enum OrderSource
{
    Column,
    Trait,
}

/// <summary>One ordering term of a size limit. NULLs sort last; ties are broken by the parent key ascending.</summary>
public sealed record OrderTerm(OrderSource Source, string Name, bool Descending);

/// <summary>
/// Keep at most <see cref="Size"/> members. With no order, members are taken in split-hash order
/// (a stable pseudo-random sample); see docs/semantics.md.
/// </summary>
public sealed record SizeLimit(long Size, ImmutableArray<OrderTerm> OrderBy);

/// <summary>Deterministic A/B/n groups by hashed key. Percentages add up to 100.</summary>
public sealed record SplitDefinition(string Salt, ImmutableArray<SplitGroup> Groups);

public sealed record SplitGroup(string Name, decimal Percent, bool Holdout = false);
