using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// Compiles a <see cref="PropertyTest"/> on a value (a column, a trait, an aggregate or an occurrence time) into a
/// two-valued predicate, following docs/semantics.md sections 2 and 5. Negative operators are the complements of
/// their positive partners, so they are true for NULL.
/// </summary>
internal sealed class PropertyTests(CompileContext ctx)
{
    private ParameterBag P => ctx.Parameters;

    public SqlExpr Compile(SqlExpr value, DataType type, PropertyTest test)
    {
        switch (test.Operator)
        {
            case PropertyOperator.IsSet:
                return new IsNullExpr(value, Negated: true);
            case PropertyOperator.IsNotSet:
                return new IsNullExpr(value);
            case PropertyOperator.NotEquals:
                return S.Not(Compile(value, type, test with { Operator = PropertyOperator.Equals }));
            case PropertyOperator.NotIn:
                return S.Not(Compile(value, type, test with { Operator = PropertyOperator.In }));
            case PropertyOperator.NotContains:
                return S.Not(Compile(value, type, test with { Operator = PropertyOperator.Contains }));
        }
        var positive = type.IsArray ? ArrayTest(value, type, test)
            : type.Element switch
            {
                ScalarType.String => StringTest(value, test),
                ScalarType.Integer or ScalarType.Number => NumberTest(value, test),
                ScalarType.Boolean => BooleanTest(value, test),
                ScalarType.Date => DateTest(value, test),
                ScalarType.Timestamp => TimestampTest(value, test),
                _ => throw Unsupported(type, test),
            };
        return S.Truth(positive);
    }

    /// <summary>
    /// A numeric test on an average given as its sum and count, compared exactly: avg op x  ⇔  count &gt; 0 and
    /// sum op x × count.
    /// </summary>
    public SqlExpr CompileAverage(SqlExpr sum, SqlExpr count, PropertyTest test)
    {
        var hasValues = S.Cmp(BinaryOp.Greater, count, new IntExpr(0));
        SqlExpr Scaled(Literal x) => new BinaryExpr(BinaryOp.Multiply, Number(x), count);
        switch (test.Operator)
        {
            case PropertyOperator.IsSet:
                return S.Truth(hasValues);
            case PropertyOperator.IsNotSet:
                return S.Not(S.Truth(hasValues));
            case PropertyOperator.NotEquals:
                return S.Not(CompileAverage(sum, count, test with { Operator = PropertyOperator.Equals }));
            case PropertyOperator.NotIn:
                return S.Not(CompileAverage(sum, count, test with { Operator = PropertyOperator.In }));
        }
        SqlExpr comparison = (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Equals, Operand.Value v) => S.Eq(sum, Scaled(v.Literal)),
            (PropertyOperator.In, Operand.Values v) => S.Or(v.Literals.Select(l => S.Eq(sum, Scaled(l)))),
            (PropertyOperator.LessThan, Operand.Value v) => S.Cmp(BinaryOp.Less, sum, Scaled(v.Literal)),
            (PropertyOperator.LessOrEqual, Operand.Value v) => S.Cmp(BinaryOp.LessOrEqual, sum, Scaled(v.Literal)),
            (PropertyOperator.GreaterThan, Operand.Value v) => S.Cmp(BinaryOp.Greater, sum, Scaled(v.Literal)),
            (PropertyOperator.GreaterOrEqual, Operand.Value v) => S.Cmp(BinaryOp.GreaterOrEqual, sum, Scaled(v.Literal)),
            (PropertyOperator.Between, Operand.Range r) => S.And(
                S.Cmp(BinaryOp.GreaterOrEqual, sum, Scaled(r.Low)),
                S.Cmp(BinaryOp.LessOrEqual, sum, Scaled(r.High))),
            _ => throw Unsupported(DataType.Number, test),
        };
        return S.Truth(S.And(hasValues, comparison));
    }

    private SqlExpr StringTest(SqlExpr v, PropertyTest test) => (test.Operator, test.Operand) switch
    {
        (PropertyOperator.Equals, Operand.Value x) => S.Eq(v, Text(x.Literal)),
        (PropertyOperator.In, Operand.Values xs) => In(v, xs.Literals.Select(Text)),
        (PropertyOperator.Contains, Operand.Value x) => S.Cmp(BinaryOp.Greater, S.Fn(SqlFunction.StrPos, v, Text(x.Literal)), new IntExpr(0)),
        (PropertyOperator.StartsWith, Operand.Value x) => S.Fn(SqlFunction.StartsWith, v, Text(x.Literal)),
        (PropertyOperator.EndsWith, Operand.Value x) => S.Fn(SqlFunction.EndsWith, v, Text(x.Literal)),
        _ => throw Unsupported(DataType.String, test),
    };

    private SqlExpr NumberTest(SqlExpr v, PropertyTest test) => (test.Operator, test.Operand) switch
    {
        (PropertyOperator.Equals, Operand.Value x) => S.Eq(v, Number(x.Literal)),
        (PropertyOperator.In, Operand.Values xs) => In(v, xs.Literals.Select(Number)),
        (PropertyOperator.LessThan, Operand.Value x) => S.Cmp(BinaryOp.Less, v, Number(x.Literal)),
        (PropertyOperator.LessOrEqual, Operand.Value x) => S.Cmp(BinaryOp.LessOrEqual, v, Number(x.Literal)),
        (PropertyOperator.GreaterThan, Operand.Value x) => S.Cmp(BinaryOp.Greater, v, Number(x.Literal)),
        (PropertyOperator.GreaterOrEqual, Operand.Value x) => S.Cmp(BinaryOp.GreaterOrEqual, v, Number(x.Literal)),
        (PropertyOperator.Between, Operand.Range r) => S.And(
            S.Cmp(BinaryOp.GreaterOrEqual, v, Number(r.Low)),
            S.Cmp(BinaryOp.LessOrEqual, v, Number(r.High))),
        _ => throw Unsupported(DataType.Number, test),
    };

    private static SqlExpr BooleanTest(SqlExpr v, PropertyTest test) => (test.Operator, test.Operand) switch
    {
        (PropertyOperator.IsTrue, _) => S.Eq(v, BoolExpr.True),
        (PropertyOperator.IsFalse, _) => S.Eq(v, BoolExpr.False),
        (PropertyOperator.Equals, Operand.Value { Literal: Literal.Boolean b }) => S.Eq(v, new BoolExpr(b.Value)),
        _ => throw Unsupported(DataType.Boolean, test),
    };

    private SqlExpr ArrayTest(SqlExpr v, DataType type, PropertyTest test)
    {
        if (test.Operand is not Operand.Values xs || test.Operator is not (PropertyOperator.ContainsAny or PropertyOperator.ContainsAll))
            throw Unsupported(type, test);
        var elements = xs.Literals.Select(l => type.Element switch
        {
            ScalarType.String => Text(l),
            ScalarType.Integer => P.Integer(decimal.ToInt64(((Literal.Number)l).Value)),
            _ => (SqlExpr)Number(l),
        });
        var function = test.Operator == PropertyOperator.ContainsAny ? SqlFunction.ArrayContainsAny : SqlFunction.ArrayContainsAll;
        // Array operators need identical element types (varchar[] and text[] differ in PostgreSQL).
        var arrayType = type.Element switch
        {
            ScalarType.String => SqlType.TextArray,
            ScalarType.Integer => SqlType.BigIntArray,
            _ => SqlType.NumericArray,
        };
        return new FuncExpr(function, [new CastExpr(v, arrayType), .. elements]);
    }

    private SqlExpr DateTest(SqlExpr v, PropertyTest test)
    {
        var today = TimeMath.Today(ctx.Evaluation);
        SqlExpr D(DateOnly d) => P.Date(d);
        DateOnly Lit(Literal l) => l is Literal.Date d ? d.Value : throw Unsupported(DataType.Date, test);
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Before, Operand.Value x) => S.Cmp(BinaryOp.Less, v, D(Lit(x.Literal))),
            (PropertyOperator.After, Operand.Value x) => S.Cmp(BinaryOp.Greater, v, D(Lit(x.Literal))),
            (PropertyOperator.On or PropertyOperator.Equals, Operand.Value x) => S.Eq(v, D(Lit(x.Literal))),
            (PropertyOperator.Between, Operand.Range r) => Within(v, D(Lit(r.Low)), D(Lit(r.High))),
            (PropertyOperator.WithinLast, Operand.Relative d) => Within(v, D(TimeMath.Subtract(today, d.Duration)), D(today)),
            (PropertyOperator.MoreThanAgo, Operand.Relative d) => S.Cmp(BinaryOp.Less, v, D(TimeMath.Subtract(today, d.Duration))),
            (PropertyOperator.BetweenAgo, Operand.RelativeRange r) =>
                Within(v, D(TimeMath.Subtract(today, r.Far)), D(TimeMath.Subtract(today, r.Near))),
            (PropertyOperator.WithinNext, Operand.Relative d) => Within(v, D(today), D(TimeMath.Add(today, d.Duration))),
            (PropertyOperator.DayOfWeek, Operand.Days days) => DayOfWeek(v, days.DaysOfWeek),
            (PropertyOperator.AnniversaryWithinNext, Operand.Relative d) => Anniversary(v, today, d.Duration),
            _ => throw Unsupported(DataType.Date, test),
        };
    }

    private SqlExpr TimestampTest(SqlExpr v, PropertyTest test)
    {
        var asOf = ctx.Evaluation.AsOfUtc;
        var zone = ctx.Evaluation.TimeZone;
        SqlExpr T(DateTime t) => P.Timestamp(t);
        SqlExpr Start(DateOnly d) => T(TimeMath.StartOfLocalDay(d, zone));
        // In UTC the local date is the date of the UTC wall time: no per-row zone conversion (ICU is costly per row).
        SqlExpr LocalDate() => TimeMath.IsUtc(zone)
            ? new CastExpr(new CastExpr(v, SqlType.Timestamp), SqlType.Date)
            : S.Fn(SqlFunction.LocalDate, v, P.String(zone.Id));
        return (test.Operator, test.Operand) switch
        {
            (PropertyOperator.Before, Operand.Value { Literal: Literal.Date d }) => S.Cmp(BinaryOp.Less, v, Start(d.Value)),
            (PropertyOperator.Before, Operand.Value { Literal: Literal.Timestamp t }) => S.Cmp(BinaryOp.Less, v, T(t.Value)),
            (PropertyOperator.After, Operand.Value { Literal: Literal.Date d }) => S.Cmp(BinaryOp.GreaterOrEqual, v, Start(d.Value.AddDays(1))),
            (PropertyOperator.After, Operand.Value { Literal: Literal.Timestamp t }) => S.Cmp(BinaryOp.Greater, v, T(t.Value)),
            (PropertyOperator.On or PropertyOperator.Equals, Operand.Value { Literal: Literal.Date d }) =>
                S.And(S.Cmp(BinaryOp.GreaterOrEqual, v, Start(d.Value)), S.Cmp(BinaryOp.Less, v, Start(d.Value.AddDays(1)))),
            (PropertyOperator.Equals, Operand.Value { Literal: Literal.Timestamp t }) => S.Eq(v, T(t.Value)),
            (PropertyOperator.Between, Operand.Range r) => S.And(LowerBound(v, r.Low), UpperBound(v, r.High)),
            (PropertyOperator.WithinLast, Operand.Relative d) => Within(v, T(TimeMath.Subtract(asOf, d.Duration)), T(asOf)),
            (PropertyOperator.MoreThanAgo, Operand.Relative d) => S.Cmp(BinaryOp.Less, v, T(TimeMath.Subtract(asOf, d.Duration))),
            (PropertyOperator.BetweenAgo, Operand.RelativeRange r) =>
                Within(v, T(TimeMath.Subtract(asOf, r.Far)), T(TimeMath.Subtract(asOf, r.Near))),
            (PropertyOperator.WithinNext, Operand.Relative d) => Within(v, T(asOf), T(TimeMath.Add(asOf, d.Duration))),
            (PropertyOperator.DayOfWeek, Operand.Days days) => DayOfWeek(LocalDate(), days.DaysOfWeek),
            (PropertyOperator.AnniversaryWithinNext, Operand.Relative d) =>
                Anniversary(LocalDate(), TimeMath.Today(ctx.Evaluation), d.Duration),
            _ => throw Unsupported(DataType.Timestamp, test),
        };
    }

    /// <summary>The lower edge of an absolute range on instants: a date means the start of that local day.</summary>
    public SqlExpr LowerBound(SqlExpr v, Literal low) => low switch
    {
        Literal.Date d => S.Cmp(BinaryOp.GreaterOrEqual, v, P.Timestamp(TimeMath.StartOfLocalDay(d.Value, ctx.Evaluation.TimeZone))),
        Literal.Timestamp t => S.Cmp(BinaryOp.GreaterOrEqual, v, P.Timestamp(t.Value)),
        _ => throw new InvalidOperationException($"'{low}' is not a date or timestamp; validate the audience first."),
    };

    /// <summary>The upper edge of an absolute range on instants: a date includes that whole local day.</summary>
    public SqlExpr UpperBound(SqlExpr v, Literal high) => high switch
    {
        Literal.Date d => S.Cmp(BinaryOp.Less, v, P.Timestamp(TimeMath.StartOfLocalDay(d.Value.AddDays(1), ctx.Evaluation.TimeZone))),
        Literal.Timestamp t => S.Cmp(BinaryOp.LessOrEqual, v, P.Timestamp(t.Value)),
        _ => throw new InvalidOperationException($"'{high}' is not a date or timestamp; validate the audience first."),
    };

    private static SqlExpr Within(SqlExpr v, SqlExpr low, SqlExpr high) =>
        S.And(S.Cmp(BinaryOp.GreaterOrEqual, v, low), S.Cmp(BinaryOp.LessOrEqual, v, high));

    private SqlExpr DayOfWeek(SqlExpr date, ImmutableArray<DayOfWeek> days) =>
        In(S.Fn(SqlFunction.IsoDayOfWeek, date), days.Distinct().Order().Select(d => (SqlExpr)P.Integer(d == System.DayOfWeek.Sunday ? 7 : (int)d)));

    private SqlExpr Anniversary(SqlExpr date, DateOnly today, Duration window)
    {
        var days = window.Unit switch
        {
            TimeUnit.Day => window.Amount,
            TimeUnit.Week => 7 * window.Amount,
            _ => throw new InvalidOperationException("anniversary_within_next takes days or weeks; validate the audience first."),
        };
        var ranges = TimeMath.AnniversaryRanges(today, days);
        if (ranges is null) return new IsNullExpr(date, Negated: true);
        var monthDay = S.Fn(SqlFunction.MonthDay, date);
        return S.Or(ranges.Select(r => Within(monthDay, P.Integer(r.Low), P.Integer(r.High))));
    }

    private static SqlExpr In(SqlExpr v, IEnumerable<SqlExpr> items)
    {
        var list = items.ToImmutableArray();
        return list.Length == 1 ? S.Eq(v, list[0]) : new InExpr(v, list);
    }

    private SqlExpr Text(Literal l) => l is Literal.String s
        ? P.String(s.Value)
        : throw new InvalidOperationException($"Expected a text value, got '{l}'; validate the audience first.");

    private SqlExpr Number(Literal l) => l is Literal.Number n
        ? P.Decimal(n.Value)
        : throw new InvalidOperationException($"Expected a number, got '{l}'; validate the audience first.");

    private static InvalidOperationException Unsupported(DataType type, PropertyTest test) =>
        new($"Operator {test.Operator} with {test.Operand.GetType().Name} does not apply to {type}; validate the audience first.");
}
