using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Testing.Reference;
using CsCheck;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Differential.GenHelpers;

namespace Cohort.Testing.Differential;

/// <summary>
/// Random valid, bound condition trees over <see cref="TestSchema"/>: every condition kind and every operator legal
/// for each column type, nested all/any/not, event measures and windows, sequences with gaps, total within and
/// not_followed_by, relations (multi-hop, many-to-many, nested where), trait conditions and membership of the given
/// audiences (which must not refer back to the audience being generated). Operands come from
/// <see cref="ValuePools"/>, the pools the data is drawn from, so conditions select some rows.
/// </summary>
/// <remarks>
/// Deliberately not generated, because docs/semantics.md leaves them open: relation paths that end at an event
/// model (is t ≤ asOf implied without a window?), relation conditions inside an event or sequence step's
/// <c>where</c> (section 6 describes it as conditions on the event model's columns), and calendar units (months,
/// years) in sequence windows.
/// </remarks>
public sealed class ConditionGenerator
{
    private static readonly SchemaIndex Index = new(TestSchema.Schema);
    private static readonly ReferenceEvaluator TypeOracle = new(TestSchema.Schema, ReferenceDataset.Empty, []);

    /// <summary>Relationship paths tried from each context model (none ends at an event model).</summary>
    private static readonly ImmutableDictionary<string, ImmutableArray<ImmutableArray<string>>> Paths =
        new Dictionary<string, ImmutableArray<ImmutableArray<string>>>
        {
            ["people"] = [["orders"], ["account"], ["orders", "products"], ["account", "members"], ["account", "members", "orders"], ["orders", "products", "orders"]],
            ["orders"] = [["products"], ["person"]],
            ["products"] = [["orders"]],
            ["accounts"] = [["members"]],
        }.ToImmutableDictionary();

    private static readonly ImmutableArray<ImmutableArray<string>> EventNameChoices =
        [["purchase"], ["view"], ["cart"], ["view", "cart"], ["checkout", "purchase"], ["email_open"], ["checkout"]];

    private readonly PropertyTestGenerator tests;
    private readonly ImmutableArray<string> audiences;
    private readonly Dictionary<(string Model, int Depth), Gen<Condition>> memo = [];

    public ConditionGenerator(ValuePools pools, IEnumerable<string> audienceNames)
    {
        tests = new PropertyTestGenerator(pools);
        audiences = [.. audienceNames];
    }

    /// <summary>A condition whose context is the parent model.</summary>
    public Gen<Condition> Root(int depth = 3) => For(TestSchema.People, depth);

    /// <summary>A condition with <paramref name="model"/> as its context, nested at most <paramref name="depth"/> deep.</summary>
    public Gen<Condition> For(ModelDefinition model, int depth)
    {
        if (memo.TryGetValue((model.Name, depth), out var cached)) return cached;
        var isParent = model.Kind == ModelKind.Parent;
        var options = new List<(int, Gen<Condition>)> { (6, Property(model)) };
        if (isParent)
        {
            options.Add((3, Event(depth)));
            options.Add((2, Sequence(depth)));
            options.Add((2, Trait()));
            options.Add((1, PlainEvents()));
            if (!audiences.IsEmpty) options.Add((1, Membership()));
        }
        if (Paths.ContainsKey(model.Name)) options.Add((isParent ? 3 : 1, Relation(model, depth)));
        if (depth > 0)
        {
            var child = For(model, depth - 1);
            options.Add((2, child.Array[1, 3].Select(cs => (Condition)new AllCondition([.. cs]))));
            options.Add((2, child.Array[1, 3].Select(cs => (Condition)new AnyCondition([.. cs]))));
            options.Add((1, child.Select(c => (Condition)new NotCondition(c))));
        }
        var gen = Weighted([.. options]);
        memo[(model.Name, depth)] = gen;
        return gen;
    }

    private Gen<Condition> Property(ModelDefinition model) => Weighted(
        [.. model.Columns.Select(c => (IsKey(c.Name) ? 1 : 4, ColumnTest(model, c).Select(t => (Condition)new PropertyCondition(c.Name, t))))]);

    private static bool IsKey(string column) => column.EndsWith("_id", StringComparison.Ordinal);

    private Gen<PropertyTest> ColumnTest(ModelDefinition model, ColumnDefinition column) => column.Type switch
    {
        { IsArray: true } or { Element: ScalarType.String } => tests.For(column.Type, strings: ValuePools.StringsOf(model.Name, column.Name)),
        { IsNumeric: true } => tests.For(column.Type, numbers: ValuePools.NumbersOf(model.Name, column.Name)),
        _ => tests.For(column.Type),
    };

    /// <summary>
    /// Two to four event conditions on the same events, each only names and a window from "ever" or "the last N",
    /// under all/any: the shape whose shared scan the compiler filters with one CASE on the event name.
    /// </summary>
    private Gen<Condition> PlainEvents()
    {
        var window = Weighted((1, Gen.Const(Ever)), (3, Pick(ValuePools.FixedDurations).Select(d => Last(d))));
        var one = Gen.Select(Pick(EventNameChoices), window, Measure(TestSchema.Events),
            (names, w, measure) => (Condition)new EventCondition(null, names, null, w, measure));
        return Gen.Select(one.Array[2, 4], Gen.Bool, (cs, all) => all ? (Condition)new AllCondition([.. cs]) : new AnyCondition([.. cs]));
    }

    private Gen<Condition> Event(int depth)
    {
        var events = Gen.Select(
            Pick(EventNameChoices), Pick<string?>([null, null, "events"]), Where(TestSchema.Events, depth, 50), Window(fixedOnly: false), Measure(TestSchema.Events),
            (names, model, where, window, measure) => (Condition)new EventCondition(model, names, where, window, measure));
        var signups = Gen.Select(
            Pick<string?>([null, "signups"]), Where(TestSchema.Signups, depth, 60), Window(fixedOnly: false), Measure(TestSchema.Signups),
            (model, where, window, measure) => (Condition)new EventCondition(model, ["signup"], where, window, measure));
        return Weighted((5, events), (1, signups));
    }

    private Gen<Condition> Sequence(int depth)
    {
        var gap = MaybeDuration(60);
        var eventStep = Gen.Select(Pick(EventNameChoices), Where(TestSchema.Events, depth, 70), gap,
            (names, where, g) => new SequenceStep(null, names, where, g));
        var signupStep = Gen.Select(Where(TestSchema.Signups, depth, 80), gap,
            (where, g) => new SequenceStep(null, ["signup"], where, g));
        var step = Weighted((6, eventStep), (1, signupStep));
        var follower = Gen.Select(Pick(EventNameChoices), Where(TestSchema.Events, depth, 70), Pick(ValuePools.FixedDurations),
            (names, where, within) => new SequenceStep(null, names, where, within));
        return Gen.Select(step.Array[1, 3], MaybeDuration(70), Window(fixedOnly: true), Gen.Int[0, 99], follower,
            (steps, within, window, chance, nfb) =>
            {
                // The first step has no previous step to be a gap from.
                ImmutableArray<SequenceStep> ordered = [steps[0] with { MaxGap = null }, .. steps.Skip(1)];
                // One step needs not_followed_by (COH324); with more, it is optional.
                var notFollowedBy = steps.Length == 1 || chance < 40 ? nfb : null;
                return (Condition)new SequenceCondition(ordered, within, window, notFollowedBy);
            });
    }

    private Gen<Condition> Relation(ModelDefinition model, int depth) => Weighted(
        [.. Paths[model.Name].Select(path =>
        {
            var end = Index.ResolvePath(model, path).Value!.End;
            var window = end.TimestampColumn is null ? Gen.Const(Ever) : Weighted((2, Gen.Const(Ever)), (1, Window(fixedOnly: false)));
            return (1, Gen.Select(Where(end, depth, 50), window, Measure(end),
                (where, w, measure) => (Condition)new RelationCondition(path, where, w, measure)));
        })]);

    private Gen<Condition> Trait() => Weighted(
        [.. TestSchema.Traits.Select(trait =>
        {
            var end = Index.ResolvePath(TestSchema.People, trait.Path).Value!.End;
            var type = TypeOracle.TraitType(trait);
            var test = type.Element == ScalarType.String
                ? tests.For(type, strings: ValuePools.StringsOf(end.Name, trait.Column!))
                : type.IsNumeric
                    ? tests.For(type, numbers: ValuePools.TraitNumbers(trait, end))
                    : tests.For(type);
            return (1, test.Select(t => (Condition)new TraitCondition(trait.Name, t)));
        })]);

    private Gen<Condition> Membership() =>
        Gen.Select(Pick(audiences), Gen.Int[0, 3], (name, m) => (Condition)new AudienceCondition(name, m != 0));

    /// <summary>An optional nested condition on <paramref name="model"/> (none at depth 0).</summary>
    private Gen<Condition?> Where(ModelDefinition model, int depth, int nullPercent) =>
        depth == 0 ? Nothing<Condition>() : Maybe(For(model, depth - 1), nullPercent);

    private Gen<Measure> Measure(ModelDefinition model)
    {
        var counts = Weighted(
            (4, Gen.Const(Cohort.Core.Audiences.Measure.Performed)),
            (2, Gen.Const(NotPerformed)),
            (1, Gen.Int[1, 3].Select(n => AtLeast(n))),
            (1, Gen.Int[0, 2].Select(n => AtMost(n))),
            (1, Gen.Int[0, 2].Select(n => Exactly(n))),
            (1, Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], (a, b) => CountBetween(Math.Min(a, b), Math.Max(a, b)))));
        var options = new List<(int, Gen<Measure>)> { (6, counts) };
        var numeric = model.Columns.Where(c => c.Type.IsNumeric && !IsKey(c.Name)).ToList();
        if (numeric.Count > 0)
        {
            options.Add((3, Weighted([.. numeric.Select(c => (1, Gen.Select(
                Pick(Enum.GetValues<AggregateFunction>()),
                tests.Comparison([.. ValuePools.NumbersOf(model.Name, c.Name), .. ValuePools.Sums]),
                (f, t) => Aggregate(f, c.Name, t))))])));
        }
        if (model.TimestampColumn is not null)
        {
            var occurrence = tests.Timestamp(includeSetTests: false);
            options.Add((1, occurrence.Select(t => First(t))));
            options.Add((1, occurrence.Select(t => Last(t))));
        }
        return Weighted([.. options]);
    }

    /// <summary>Windows; inside sequences only fixed-length units (COH323).</summary>
    private Gen<TimeWindow> Window(bool fixedOnly)
    {
        ImmutableArray<Duration> durations = fixedOnly ? ValuePools.FixedDurations : [.. ValuePools.FixedDurations, .. ValuePools.CalendarDurations];
        var temporal = tests.TemporalLiteral();
        return Weighted(
            (3, Gen.Const(Ever)),
            (3, Pick(durations).Select(d => Last(d))),
            (1, PropertyTestGenerator.AgoDurations(durations).Select(p => AgoWindow(p.Near, p.Far))),
            (1, Gen.Select(temporal, temporal, (a, b) =>
                tests.Pools.InstantOf(a) <= tests.Pools.InstantOf(b) ? During(a, b) : During(b, a))));
    }

    private static Gen<Duration?> MaybeDuration(int nullPercent) =>
        Gen.Int[0, 99].SelectMany(p => p < nullPercent
            ? Gen.Const((Duration?)null)
            : Pick(ValuePools.FixedDurations).Select(d => (Duration?)d));
}
