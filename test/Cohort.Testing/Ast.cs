using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Audiences;

namespace Cohort.Testing;

/// <summary>
/// Terse builders for bound condition trees, so that examples and generators read like the YAML they stand for.
/// Everything built here is already bound: literals are typed the way the binder types them.
/// </summary>
public static class Ast
{
    // Literals
    public static Literal Str(string value) => new Literal.String(value);
    public static Literal Num(decimal value) => new Literal.Number(value);
    public static Literal Bool(bool value) => new Literal.Boolean(value);
    public static Literal Date(int year, int month, int day) => new Literal.Date(new DateOnly(year, month, day));
    public static Literal Date(DateOnly date) => new Literal.Date(date);
    public static Literal Ts(string iso) => new Literal.Timestamp(Utc(iso));
    public static Literal Ts(DateTime utc) => new Literal.Timestamp(utc);

    /// <summary>An ISO 8601 instant with a zone designator, as a UTC DateTime.</summary>
    public static DateTime Utc(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).UtcDateTime;

    // Durations
    public static Duration Seconds(long n) => new(n, TimeUnit.Second);
    public static Duration Minutes(long n) => new(n, TimeUnit.Minute);
    public static Duration Hours(long n) => new(n, TimeUnit.Hour);
    public static Duration Days(long n) => new(n, TimeUnit.Day);
    public static Duration Weeks(long n) => new(n, TimeUnit.Week);
    public static Duration Months(long n) => new(n, TimeUnit.Month);
    public static Duration Years(long n) => new(n, TimeUnit.Year);

    // Tests
    /// <summary><see cref="PropertyOperator.Equals"/>, which cannot be imported with <c>using static</c> because object.Equals hides it.</summary>
    public const PropertyOperator Eq = PropertyOperator.Equals;

    public static PropertyTest Is(PropertyOperator op) => new(op, Operand.None.Instance);
    public static PropertyTest Test(PropertyOperator op, Literal value) => new(op, new Operand.Value(value));
    public static PropertyTest List(PropertyOperator op, params Literal[] values) => new(op, new Operand.Values([.. values]));
    public static PropertyTest Range(PropertyOperator op, Literal low, Literal high) => new(op, new Operand.Range(low, high));
    public static PropertyTest Relative(PropertyOperator op, Duration duration) => new(op, new Operand.Relative(duration));
    public static PropertyTest Ago(Duration near, Duration far) => new(PropertyOperator.BetweenAgo, new Operand.RelativeRange(near, far));
    public static PropertyTest OnDays(params DayOfWeek[] days) => new(PropertyOperator.DayOfWeek, new Operand.Days([.. days]));

    // Conditions
    public static Condition All(params Condition[] conditions) => new AllCondition([.. conditions]);
    public static Condition Any(params Condition[] conditions) => new AnyCondition([.. conditions]);
    public static Condition Not(Condition inner) => new NotCondition(inner);
    public static Condition Prop(string column, PropertyTest test) => new PropertyCondition(column, test);
    public static Condition Prop(string column, PropertyOperator op, Literal value) => Prop(column, Test(op, value));
    public static Condition Prop(string column, PropertyOperator op) => Prop(column, Is(op));
    public static Condition Trait(string trait, PropertyTest test) => new TraitCondition(trait, test);
    public static Condition Member(string audience, bool member = true) => new AudienceCondition(audience, member);

    public static Condition Event(string name, Condition? where = null, TimeWindow? window = null, Measure? measure = null, string? model = null) =>
        Event([name], where, window, measure, model);

    public static Condition Event(ImmutableArray<string> names, Condition? where = null, TimeWindow? window = null, Measure? measure = null, string? model = null) =>
        new EventCondition(model, names, where, window ?? TimeWindow.Ever.Instance, measure ?? Measure.Performed);

    public static Condition Relation(string path, Condition? where = null, TimeWindow? window = null, Measure? measure = null) =>
        Relation([.. path.Split('.')], where, window, measure);

    public static Condition Relation(ImmutableArray<string> path, Condition? where = null, TimeWindow? window = null, Measure? measure = null) =>
        new RelationCondition(path, where, window ?? TimeWindow.Ever.Instance, measure ?? Measure.Performed);

    public static SequenceStep Step(string name, Condition? where = null, Duration? within = null, string? model = null) =>
        new(model, [name], where, within);

    public static Condition Sequence(ImmutableArray<SequenceStep> steps, Duration? within = null, TimeWindow? window = null, SequenceStep? notFollowedBy = null) =>
        new SequenceCondition(steps, within, window ?? TimeWindow.Ever.Instance, notFollowedBy);

    // Windows
    public static TimeWindow Ever => TimeWindow.Ever.Instance;
    public static TimeWindow Last(Duration duration) => new TimeWindow.WithinLast(duration);
    public static TimeWindow AgoWindow(Duration near, Duration far) => new TimeWindow.BetweenAgo(near, far);
    public static TimeWindow During(Literal from, Literal to) => new TimeWindow.Absolute(from, to);

    // Measures
    public static Measure NotPerformed => new Measure.Count(CountComparator.None);
    public static Measure AtLeast(long n) => new Measure.Count(new CountComparator(CountOperator.AtLeast, n));
    public static Measure AtMost(long n) => new Measure.Count(new CountComparator(CountOperator.AtMost, n));
    public static Measure Exactly(long n) => new Measure.Count(new CountComparator(CountOperator.Exactly, n));
    public static Measure CountBetween(long low, long high) => new Measure.Count(new CountComparator(CountOperator.Between, low, high));
    public static Measure Aggregate(AggregateFunction function, string column, PropertyTest test) => new Measure.Aggregate(function, column, test);
    public static Measure First(PropertyTest test) => new Measure.FirstOccurrence(test);
    public static Measure Last(PropertyTest test) => new Measure.LastOccurrence(test);

    // Audiences
    public static AudienceDefinition Audience(string name, Condition? condition, string model = "people") => new(name, model, condition);
}
