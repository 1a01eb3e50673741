using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;

namespace Cohort.Testing.Reference;

/// <summary>
/// docs/semantics.md section 5: a value of a given type against a <see cref="PropertyTest"/>. Used for property
/// and trait conditions, for aggregate measures (numbers) and for first/last occurrence (timestamps).
/// </summary>
public static class PropertyTests
{
    public static bool Passes(DataType type, object? v, PropertyTest test, EvaluationContext ctx)
    {
        // Section 2: the negative operators are the exact complements of their positive partners,
        // so they are written as "not positive" and are therefore true for NULL.
        switch (test.Operator)
        {
            case PropertyOperator.IsSet:
                RequireFlag(test);
                return v is not null;
            case PropertyOperator.IsNotSet:
                RequireFlag(test);
                return v is null;
            case PropertyOperator.NotEquals:
                return !Passes(type, v, test with { Operator = PropertyOperator.Equals }, ctx);
            case PropertyOperator.NotIn:
                return !Passes(type, v, test with { Operator = PropertyOperator.In }, ctx);
            case PropertyOperator.NotContains:
                return !Passes(type, v, test with { Operator = PropertyOperator.Contains }, ctx);
        }

        // Every remaining operator is a positive test, and a positive test on NULL is false.
        if (v is null) return false;
        if (type.IsArray) return ArrayTest(type.Element, v, test);
        return type.Element switch
        {
            ScalarType.String => StringTest(v as string ?? throw Mismatch(type, v), test),
            ScalarType.Integer or ScalarType.Number => NumberTest(v, test),
            ScalarType.Boolean => BooleanTest(v is bool b ? b : throw Mismatch(type, v), test),
            ScalarType.Date => DateTest(v is DateOnly d ? d : throw Mismatch(type, v), test, ctx),
            ScalarType.Timestamp => TimestampTest(v is DateTime t ? Values.RequireUtc(t) : throw Mismatch(type, v), test, ctx),
            _ => throw Unexpected(test, type),
        };
    }

    private static bool StringTest(string v, PropertyTest test) => (test.Operator, test.Operand) switch
    {
        (PropertyOperator.Equals, Operand.Value { Literal: Literal.String x }) => v == x.Value,
        (PropertyOperator.In, Operand.Values list) => NonEmpty(list).Any(x => v == Text(x)),
        (PropertyOperator.Contains, Operand.Value { Literal: Literal.String x }) => CodePoints.Contains(v, x.Value),
        (PropertyOperator.StartsWith, Operand.Value { Literal: Literal.String x }) => CodePoints.StartsWith(v, x.Value),
        (PropertyOperator.EndsWith, Operand.Value { Literal: Literal.String x }) => CodePoints.EndsWith(v, x.Value),
        _ => throw Unexpected(test, DataType.String),
    };

    private static bool NumberTest(object v, PropertyTest test)
    {
        if (!Values.IsNumber(v) && v is not ExactAverage) throw Mismatch(DataType.Number, v);
        int Cmp(Literal x) => Values.Order(v, x is Literal.Number n ? n.Value : throw Unexpected(test, DataType.Number));
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Equals, Operand.Value o) => Cmp(o.Literal) == 0,
            (PropertyOperator.LessThan, Operand.Value o) => Cmp(o.Literal) < 0,
            (PropertyOperator.LessOrEqual, Operand.Value o) => Cmp(o.Literal) <= 0,
            (PropertyOperator.GreaterThan, Operand.Value o) => Cmp(o.Literal) > 0,
            (PropertyOperator.GreaterOrEqual, Operand.Value o) => Cmp(o.Literal) >= 0,
            (PropertyOperator.Between, Operand.Range r) => Cmp(r.Low) >= 0 && Cmp(r.High) <= 0,
            (PropertyOperator.In, Operand.Values list) => NonEmpty(list).Any(x => Cmp(x) == 0),
            _ => throw Unexpected(test, DataType.Number),
        };
    }

    private static bool BooleanTest(bool v, PropertyTest test)
    {
        switch (test.Operator)
        {
            case PropertyOperator.IsTrue:
                RequireFlag(test);
                return v;
            case PropertyOperator.IsFalse:
                RequireFlag(test);
                return !v;
            case PropertyOperator.Equals when test.Operand is Operand.Value { Literal: Literal.Boolean b }:
                return v == b.Value;
            default:
                throw Unexpected(test, DataType.Boolean);
        }
    }

    private static bool DateTest(DateOnly v, PropertyTest test, EvaluationContext ctx)
    {
        var today = Calendar.Today(ctx);
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Before, Operand.Value { Literal: Literal.Date d }) => v < d.Value,
            (PropertyOperator.After, Operand.Value { Literal: Literal.Date d }) => v > d.Value,
            (PropertyOperator.On or PropertyOperator.Equals, Operand.Value { Literal: Literal.Date d }) => v == d.Value,
            (PropertyOperator.Between, Operand.Range { Low: Literal.Date lo, High: Literal.Date hi }) =>
                lo.Value <= v && v <= hi.Value,
            (PropertyOperator.WithinLast, Operand.Relative r) =>
                Calendar.Add(today, r.Duration, -1) <= v && v <= today,
            (PropertyOperator.MoreThanAgo, Operand.Relative r) => v < Calendar.Add(today, r.Duration, -1),
            (PropertyOperator.BetweenAgo, Operand.RelativeRange r) =>
                Calendar.Add(today, r.Far, -1) <= v && v <= Calendar.Add(today, r.Near, -1),
            (PropertyOperator.WithinNext, Operand.Relative r) =>
                today <= v && v <= Calendar.Add(today, r.Duration, +1),
            (PropertyOperator.AnniversaryWithinNext, Operand.Relative r) =>
                Calendar.AnniversaryWithinNext(v, today, r.Duration),
            (PropertyOperator.DayOfWeek, Operand.Days days) => NonEmpty(days.DaysOfWeek).Contains(v.DayOfWeek),
            _ => throw Unexpected(test, DataType.Date),
        };
    }

    private static bool TimestampTest(DateTime v, PropertyTest test, EvaluationContext ctx)
    {
        var a = ctx.AsOfUtc;
        var zone = ctx.TimeZone;
        DateTime Start(DateOnly d) => Calendar.StartOf(d, zone);
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Before, Operand.Value { Literal: Literal.Date d }) => v < Start(d.Value),
            (PropertyOperator.Before, Operand.Value { Literal: Literal.Timestamp t }) => v < t.Value,
            (PropertyOperator.After, Operand.Value { Literal: Literal.Date d }) => v >= Start(d.Value.AddDays(1)),
            (PropertyOperator.After, Operand.Value { Literal: Literal.Timestamp t }) => v > t.Value,
            (PropertyOperator.On or PropertyOperator.Equals, Operand.Value { Literal: Literal.Date d }) =>
                Start(d.Value) <= v && v < Start(d.Value.AddDays(1)),
            (PropertyOperator.Equals, Operand.Value { Literal: Literal.Timestamp t }) => v == t.Value,
            (PropertyOperator.Between, Operand.Range r) => AtOrAfterLow(v, r.Low, zone) && AtOrBeforeHigh(v, r.High, zone),
            (PropertyOperator.WithinLast, Operand.Relative r) => Calendar.Add(a, r.Duration, -1) <= v && v <= a,
            (PropertyOperator.MoreThanAgo, Operand.Relative r) => v < Calendar.Add(a, r.Duration, -1),
            (PropertyOperator.BetweenAgo, Operand.RelativeRange r) =>
                Calendar.Add(a, r.Far, -1) <= v && v <= Calendar.Add(a, r.Near, -1),
            (PropertyOperator.WithinNext, Operand.Relative r) => a <= v && v <= Calendar.Add(a, r.Duration, +1),
            (PropertyOperator.AnniversaryWithinNext, Operand.Relative r) =>
                Calendar.AnniversaryWithinNext(Calendar.LocalDate(v, zone), Calendar.Today(ctx), r.Duration),
            (PropertyOperator.DayOfWeek, Operand.Days days) =>
                NonEmpty(days.DaysOfWeek).Contains(Calendar.LocalDate(v, zone).DayOfWeek),
            _ => throw Unexpected(test, DataType.Timestamp),
        };
    }

    /// <summary>The lower end of a timestamp range: a date means start(D), a timestamp T means T, inclusive.</summary>
    public static bool AtOrAfterLow(DateTime v, Literal low, TimeZoneInfo zone) => low switch
    {
        Literal.Date d => v >= Calendar.StartOf(d.Value, zone),
        Literal.Timestamp t => v >= t.Value,
        _ => throw new InvalidOperationException($"A timestamp range cannot start at {low}."),
    };

    /// <summary>The upper end of a timestamp range: a date means before start(D + 1 day), a timestamp T means at or before T.</summary>
    public static bool AtOrBeforeHigh(DateTime v, Literal high, TimeZoneInfo zone) => high switch
    {
        Literal.Date d => v < Calendar.StartOf(d.Value.AddDays(1), zone),
        Literal.Timestamp t => v <= t.Value,
        _ => throw new InvalidOperationException($"A timestamp range cannot end at {high}."),
    };

    private static bool ArrayTest(ScalarType element, object v, PropertyTest test)
    {
        if (v is not IReadOnlyList<object?> items) throw Mismatch(DataType.ArrayOf(element), v);
        // NULL elements inside the array never equal anything.
        bool Has(Literal x) => items.Any(e => e is not null && Values.Same(e, ElementValue(element, x)));
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.ContainsAny, Operand.Values list) => NonEmpty(list).Any(Has),
            (PropertyOperator.ContainsAll, Operand.Values list) => NonEmpty(list).All(Has),
            _ => throw Unexpected(test, DataType.ArrayOf(element)),
        };
    }

    private static object ElementValue(ScalarType element, Literal x) => (element, x) switch
    {
        (ScalarType.String, Literal.String s) => s.Value,
        (ScalarType.Integer or ScalarType.Number, Literal.Number n) => n.Value,
        _ => throw new InvalidOperationException($"Literal {x} does not fit array<{element}>."),
    };

    private static string Text(Literal x) =>
        x is Literal.String s ? s.Value : throw new InvalidOperationException($"Expected a string literal, got {x}.");

    private static ImmutableArray<Literal> NonEmpty(Operand.Values list) =>
        list.Literals.IsDefaultOrEmpty ? throw new InvalidOperationException("A value list must not be empty.") : list.Literals;

    private static ImmutableArray<DayOfWeek> NonEmpty(ImmutableArray<DayOfWeek> days) =>
        days.IsDefaultOrEmpty ? throw new InvalidOperationException("day_of_week needs at least one day.") : days;

    /// <summary>is_set, is_not_set, is_true and is_false take no operand (or, as written, <c>true</c>).</summary>
    private static void RequireFlag(PropertyTest test)
    {
        if (test.Operand is Operand.None or Operand.Value { Literal: Literal.Boolean { Value: true } }) return;
        throw new InvalidOperationException($"{test.Operator} takes no operand (or true), got {test.Operand}.");
    }

    private static InvalidOperationException Mismatch(DataType type, object v) =>
        new($"A {type} value was expected, got a {v.GetType().Name}.");

    private static InvalidOperationException Unexpected(PropertyTest test, DataType type) =>
        new($"Operator {test.Operator} with operand {test.Operand} is not defined for type {type}.");
}
