using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using CsCheck;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Differential.GenHelpers;

namespace Cohort.Testing.Differential;

/// <summary>Random valid, bound <see cref="PropertyTest"/>s for each type, with operands from <see cref="ValuePools"/>.</summary>
public sealed class PropertyTestGenerator(ValuePools pools)
{
    private static readonly ImmutableArray<DayOfWeek> AllDays = [.. Enum.GetValues<DayOfWeek>()];
    private static readonly ImmutableArray<Duration> AnniversaryWindows = [Days(7), Days(0), Days(1), Days(2), Days(30), Weeks(1), Days(365)];
    private static readonly Gen<PropertyTest> SetTests = Pick<PropertyTest>([Is(IsSet), Is(IsNotSet)]);

    public ValuePools Pools { get; } = pools;

    public Gen<PropertyTest> For(DataType type, IReadOnlyList<string>? strings = null, IReadOnlyList<decimal>? numbers = null)
    {
        if (type.IsArray)
            return Array(strings ?? throw new ArgumentException("Array tests need a string pool.", nameof(strings)));
        return type.Element switch
        {
            ScalarType.String => String(strings ?? throw new ArgumentException("String tests need a pool.", nameof(strings))),
            ScalarType.Integer or ScalarType.Number => Number(numbers ?? throw new ArgumentException("Number tests need a pool.", nameof(numbers))),
            ScalarType.Boolean => Boolean(),
            ScalarType.Date => Date(),
            ScalarType.Timestamp => Timestamp(includeSetTests: true),
            _ => throw new InvalidOperationException($"No tests for {type}."),
        };
    }

    public Gen<PropertyTest> String(IReadOnlyList<string> values)
    {
        var value = Pick(values).Select(v => Str(v));
        var fragment = Pick(ValuePools.Fragments).Select(v => Str(v));
        var list = Some(values, 3).Select(vs => vs.Select(v => Str(v)).ToArray());
        return Weighted(
            (3, value.Select(v => Test(Eq, v))),
            (2, value.Select(v => Test(NotEquals, v))),
            (2, list.Select(vs => List(In, vs))),
            (2, list.Select(vs => List(NotIn, vs))),
            (1, fragment.Select(v => Test(Contains, v))),
            (1, fragment.Select(v => Test(NotContains, v))),
            (1, fragment.Select(v => Test(StartsWith, v))),
            (1, fragment.Select(v => Test(EndsWith, v))),
            (1, SetTests));
    }

    public Gen<PropertyTest> Number(IReadOnlyList<decimal> values)
    {
        var list = Some(values, 3).Select(vs => vs.Select(v => Num(v)).ToArray());
        return Weighted(
            (3, Comparison(values)),
            (1, list.Select(vs => List(In, vs))),
            (1, list.Select(vs => List(NotIn, vs))),
            (1, SetTests));
    }

    /// <summary>eq ne lt lte gt gte between: the tests an aggregate measure takes.</summary>
    public Gen<PropertyTest> Comparison(IReadOnlyList<decimal> values)
    {
        var value = Pick(values).Select(v => Num(v));
        var op = Pick<PropertyOperator>([Eq, NotEquals, LessThan, LessOrEqual, GreaterThan, GreaterOrEqual]);
        var range = Gen.Select(Pick(values), Pick(values), (a, b) => Range(Between, Num(Math.Min(a, b)), Num(Math.Max(a, b))));
        return Weighted((6, Gen.Select(op, value, (o, v) => Test(o, v))), (1, range));
    }

    public Gen<PropertyTest> Boolean() => Pick<PropertyTest>(
    [
        Is(IsTrue), Is(IsFalse), Test(Eq, Bool(true)), Test(Eq, Bool(false)),
        Test(NotEquals, Bool(true)), Test(NotEquals, Bool(false)), Is(IsSet), Is(IsNotSet),
    ]);

    public Gen<PropertyTest> Date()
    {
        var date = Pick(Pools.DateLiterals).Select(d => Ast.Date(d));
        var range = Gen.Select(Pick(Pools.DateLiterals), Pick(Pools.DateLiterals),
            (a, b) => Range(Between, Ast.Date(a < b ? a : b), Ast.Date(a < b ? b : a)));
        var duration = Pick(ValuePools.DateDurations);
        return Weighted(
            (2, Gen.Select(Pick<PropertyOperator>([Before, After, On, Eq, NotEquals]), date, (o, d) => Test(o, d))),
            (1, range),
            (3, Gen.Select(Pick<PropertyOperator>([WithinLast, MoreThanAgo, WithinNext]), duration, (o, d) => Relative(o, d))),
            (1, AgoRange(ValuePools.DateDurations)),
            (2, Pick(AnniversaryWindows).Select(d => Relative(AnniversaryWithinNext, d))),
            (1, Some(AllDays, 3).Select(days => OnDays(days))),
            (1, SetTests));
    }

    public Gen<PropertyTest> Timestamp(bool includeSetTests)
    {
        var temporal = TemporalLiteral();
        var range = Gen.Select(temporal, temporal, (a, b) =>
            Pools.InstantOf(a) <= Pools.InstantOf(b) ? Range(Between, a, b) : Range(Between, b, a));
        var duration = Pick([.. ValuePools.FixedDurations, .. ValuePools.CalendarDurations]);
        return Weighted(
            (2, Gen.Select(Pick<PropertyOperator>([Before, After, Eq, NotEquals]), temporal, (o, v) => Test(o, v))),
            (1, Pick(Pools.DateLiterals).Select(d => Test(On, Ast.Date(d)))),
            (1, range),
            (4, Gen.Select(Pick<PropertyOperator>([WithinLast, MoreThanAgo, WithinNext]), duration, (o, d) => Relative(o, d))),
            (1, AgoRange([.. ValuePools.FixedDurations, .. ValuePools.CalendarDurations])),
            (1, Pick(AnniversaryWindows).Select(d => Relative(AnniversaryWithinNext, d))),
            (1, Some(AllDays, 3).Select(days => OnDays(days))),
            (includeSetTests ? 1 : 0, SetTests));
    }

    public Gen<PropertyTest> Array(IReadOnlyList<string> values) => Weighted(
        (3, Some(values, 3).Select(vs => List(ContainsAny, [.. vs.Select(v => Str(v))]))),
        (2, Some(values, 2).Select(vs => List(ContainsAll, [.. vs.Select(v => Str(v))]))),
        (1, SetTests));

    /// <summary>A date or timestamp operand for a timestamp column.</summary>
    public Gen<Literal> TemporalLiteral() => Weighted(
        (1, Pick(Pools.DateLiterals).Select(d => Ast.Date(d))),
        (1, Pick(Pools.TimestampLiterals).Select(t => Ts(t))));

    /// <summary>between_ago: both durations in one unit, near ≤ far.</summary>
    public static Gen<PropertyTest> AgoRange(IReadOnlyList<Duration> durations) =>
        AgoDurations(durations).Select(p => Ago(p.Near, p.Far));

    public static Gen<(Duration Near, Duration Far)> AgoDurations(IReadOnlyList<Duration> durations) =>
        Gen.Select(Pick(durations), Pick<long>([1, 2, 4]),
            (near, k) => (near, new Duration(near.Amount == 0 ? k : near.Amount * k, near.Unit)));
}
