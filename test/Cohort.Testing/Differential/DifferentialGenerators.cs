using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Time;
using Cohort.Testing.Reference;
using CsCheck;
using static Cohort.Testing.Differential.GenHelpers;

namespace Cohort.Testing.Differential;

/// <summary>
/// One differential test input: an evaluation context, a dataset, helper audiences (a0, a1, … — each refers only to
/// earlier ones, so there are no cycles) and the audience under test, named "target".
/// </summary>
public sealed record DifferentialCase(
    EvaluationContext Context,
    ReferenceDataset Data,
    ImmutableArray<AudienceDefinition> Helpers,
    AudienceDefinition Target)
{
    public ImmutableArray<AudienceDefinition> AllAudiences => [Target, .. Helpers];

    public override string ToString() =>
        $"asOf {Context.AsOfUtc:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} in {Context.TimeZone.Id}\n" +
        string.Concat(AllAudiences.Select(a => ConditionText.Format(a) + "\n")) +
        Data;
}

/// <summary>CsCheck generators for differential testing over <see cref="TestSchema"/>.</summary>
public static class DifferentialGenerators
{
    public static readonly ImmutableArray<string> TimeZones =
        ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/London"];

    /// <summary>Days near DST changes in the zones above, leap days and year ends.</summary>
    private static readonly ImmutableArray<DateOnly> InterestingDays =
    [
        new(2026, 3, 15), new(2024, 2, 29), new(2024, 3, 1), new(2024, 3, 10), new(2024, 10, 6), new(2024, 12, 31),
        new(2025, 1, 1), new(2025, 3, 30), new(2025, 4, 6), new(2025, 9, 28), new(2026, 3, 8), new(2026, 3, 29),
        new(2026, 11, 1), new(2027, 2, 28), new(2027, 3, 1), new(2027, 12, 31), new(2028, 2, 28), new(2028, 2, 29), new(2028, 3, 1),
    ];

    private static readonly ImmutableArray<ImmutableArray<SplitGroup>> SplitShapes =
    [
        [new("treatment", 50), new("control", 50)],
        [new("treatment", 90), new("holdout", 10, Holdout: true)],
        [new("a", 33.33m), new("b", 33.33m), new("c", 33.34m)],
        [new("small", 25.5m), new("large", 74.5m)],
    ];

    private static readonly ImmutableArray<OrderTerm> OrderTerms =
    [
        .. new[] { "age", "score", "vip", "birthday", "signup_at", "name", "country" }.Select(c => new OrderTerm(OrderSource.Column, c, false)),
        .. TestSchema.Traits.Where(t => t.Kind != Core.Schema.TraitKind.List).Select(t => new OrderTerm(OrderSource.Trait, t.Name, false)),
    ];

    /// <summary>asOf in 2024..2028 (often on a DST change, leap day or year end; often at local midnight) in one of <see cref="TimeZones"/>.</summary>
    public static Gen<EvaluationContext> Context { get; } = Gen.Select(
        Pick(TimeZones),
        Weighted((1, Pick(InterestingDays)), (1, Gen.Int[0, 4 * 365].Select(k => new DateOnly(2024, 1, 1).AddDays(k)))),
        Gen.Int[0, 4],
        Gen.Long[0, 86_400_000_000L - 1],
        (zoneId, day, timeKind, micros) =>
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var midnightUtc = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var asOf = timeKind switch
            {
                0 => midnightUtc.AddHours(12),
                1 => Calendar.StartOf(day, zone),                       // local midnight
                2 => Calendar.StartOf(day, zone).AddTicks(-10),         // a microsecond before it
                3 => midnightUtc,
                _ => midnightUtc.AddTicks(micros * 10),
            };
            return new EvaluationContext(asOf, zone);
        });

    /// <summary>A dataset generated around a random context.</summary>
    public static Gen<ReferenceDataset> Dataset { get; } = Context.SelectMany(ctx => DatasetGenerator.For(new ValuePools(ctx)));

    /// <summary>A condition over people generated around a random context, with no audiences to refer to.</summary>
    public static Gen<Condition> Condition { get; } = Context.SelectMany(ctx => new ConditionGenerator(new ValuePools(ctx), []).Root());

    /// <summary>A whole case: context, data around it, helper audiences and the target audience.</summary>
    public static Gen<DifferentialCase> Case { get; } =
        from ctx in Context
        let pools = new ValuePools(ctx)
        from data in DatasetGenerator.For(pools)
        from helpers in Helpers(pools)
        from target in Audience("target", pools, [.. helpers.Select(h => h.Name)], depth: 3, conditionNullPercent: 3, extrasPercent: 20)
        select new DifferentialCase(ctx, data, helpers, target);

    /// <summary>0..3 helper audiences a0, a1, a2; each refers (by membership or exclusion) only to earlier ones.</summary>
    public static Gen<ImmutableArray<AudienceDefinition>> Helpers(ValuePools pools) =>
        Gen.Select(
            Audience("a0", pools, [], depth: 2, conditionNullPercent: 10, extrasPercent: 30),
            Audience("a1", pools, ["a0"], depth: 2, conditionNullPercent: 10, extrasPercent: 30),
            Audience("a2", pools, ["a0", "a1"], depth: 2, conditionNullPercent: 10, extrasPercent: 30),
            Gen.Int[0, 3],
            (a0, a1, a2, count) => ImmutableArray.Create(a0, a1, a2).Take(count).ToImmutableArray());

    public static Gen<AudienceDefinition> Audience(
        string name, ValuePools pools, ImmutableArray<string> earlier, int depth, int conditionNullPercent, int extrasPercent)
    {
        var condition = Maybe(new ConditionGenerator(pools, earlier).Root(depth), conditionNullPercent);
        var exclusions = earlier.IsEmpty
            ? Gen.Const(ImmutableArray<string>.Empty)
            : Weighted((100 - extrasPercent, Gen.Const(ImmutableArray<string>.Empty)), (extrasPercent, Some(earlier, 2).Select(e => e.ToImmutableArray())));
        var term = Gen.Select(Pick(OrderTerms), Gen.Bool, (t, descending) => t with { Descending = descending });
        var limit = Maybe(Gen.Select(Gen.Long[0, 8], term.Array[0, 2], (size, terms) => new SizeLimit(size, [.. terms])), 100 - extrasPercent);
        var splits = Maybe(Gen.Select(Pick(SplitShapes), Pick([name, "salt-1", "spring"]), (groups, salt) => new SplitDefinition(salt, groups)), 100 - extrasPercent);
        return Gen.Select(condition, exclusions, limit, splits,
            (c, e, l, s) => new AudienceDefinition(name, "people", c, e, l, s));
    }
}
