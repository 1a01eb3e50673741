using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Testing.Reference;

namespace Cohort.Testing.Examples;

/// <summary>
/// One worked example of docs/semantics.md: a tiny dataset over <see cref="Differential.TestSchema"/>, an audience
/// over <c>people</c>, an evaluation instant and zone, and the member keys worked out by hand from the spec
/// (the <see cref="Explanation"/> says how). Every engine must produce exactly <see cref="ExpectedMembers"/>.
/// </summary>
public sealed record OperatorExample(
    string Name,
    string Explanation,
    ReferenceDataset Data,
    AudienceDefinition Audience,
    ImmutableArray<object> ExpectedMembers)
{
    public static readonly DateTime DefaultAsOf = new(2026, 3, 15, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>asOf; by default 2026-03-15T12:00:00Z, a Sunday.</summary>
    public DateTime AsOfUtc { get; init; } = DefaultAsOf;

    /// <summary>An IANA zone id; by default UTC.</summary>
    public string TimeZoneId { get; init; } = "UTC";

    /// <summary>Audiences the example's audience refers to (by membership or exclusion).</summary>
    public ImmutableArray<AudienceDefinition> OtherAudiences { get; init; } = [];

    /// <summary>For split examples: the group of each member key.</summary>
    public ImmutableDictionary<object, string>? ExpectedGroups { get; init; }

    public EvaluationContext Context => new(AsOfUtc, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));

    /// <summary>The example's audience followed by the ones it refers to.</summary>
    public ImmutableArray<AudienceDefinition> AllAudiences => [Audience, .. OtherAudiences];

    public override string ToString() => Name;
}
