using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>
/// Turns the AST back into the documented syntax (docs/audiences.md) in its shortest idiomatic form: defaults
/// left out, one event name as a scalar, <c>performed: false</c> for a zero count, durations as "30 days".
/// </summary>
internal static class AudienceSyntax
{
    public static OutMap Audience(AudienceDefinition audience) => OutMap.Of(
        ("name", OutScalar.Of(audience.Name)),
        ("model", OutScalar.Of(audience.Model)),
        ("description", audience.Description is null ? null : OutScalar.Of(audience.Description)),
        ("labels", Names(audience.Labels)),
        ("folder", audience.Folder is null ? null : OutScalar.Of(audience.Folder)),
        ("condition", audience.Condition is null ? null : Condition(audience.Condition)),
        ("exclude", Names(audience.Exclusions)),
        ("limit", audience.Limit is null ? null : Limit(audience.Limit)),
        ("splits", audience.Splits is null ? null : Splits(audience.Splits, audience.Name)));

    public static OutNode Condition(Condition condition) => condition switch
    {
        AllCondition all => OutMap.Of(("all", List(all.Conditions, Condition))),
        AnyCondition any => OutMap.Of(("any", List(any.Conditions, Condition))),
        NotCondition not => OutMap.Of(("not", Condition(not.Inner))),
        PropertyCondition property => Test(("property", OutScalar.Of(property.Column)), property.Test),
        TraitCondition trait => Test(("trait", OutScalar.Of(trait.Trait)), trait.Test),
        AudienceCondition membership => OutMap.Of(
            ("audience", OutScalar.Of(membership.Audience)),
            ("member", membership.Member ? null : OutScalar.Flag(false))),
        EventCondition e => Join(
            [("event", EventNames(e.Names)), ("model", Optional(e.Model)), ("where", Where(e.Where))],
            Window(e.Window), Measure(e.Measure)),
        SequenceCondition sequence => Join(
            [("sequence", List(sequence.Steps, Step)), ("within", Duration(sequence.Within))],
            Window(sequence.Window),
            [("not_followed_by", sequence.NotFollowedBy is null ? null : Step(sequence.NotFollowedBy))]),
        RelationCondition relation => Join(
            [("relation", RelationPath(relation.Path)), ("where", Where(relation.Where))],
            Window(relation.Window), Measure(relation.Measure)),
        _ => throw new InvalidOperationException($"Unknown condition node {condition.GetType().Name}."),
    };

    /// <summary>A test written beside other keys: <c>{property: country, in: [US, CA]}</c>.</summary>
    private static OutMap Test((string, OutNode?) first, PropertyTest test) =>
        OutMap.Of(first, (OperatorCatalog.NameOf(test.Operator), Operand(test)));

    public static OutNode Operand(PropertyTest test) => test.Operand switch
    {
        Audiences.Operand.None => OutScalar.Flag(true),
        Operand.Value value => Literal(value.Literal),
        Operand.Values values => List(values.Literals, Literal),
        Operand.Range range => new OutList([Literal(range.Low), Literal(range.High)]),
        Operand.Relative relative => Duration(relative.Duration)!,
        Operand.RelativeRange range => new OutList([Duration(range.Near)!, Duration(range.Far)!]),
        Operand.Days days => List(days.DaysOfWeek, d => OutScalar.Of(d.ToString().ToLowerInvariant())),
        _ => throw new InvalidOperationException($"Unknown operand {test.Operand.GetType().Name}."),
    };

    public static OutScalar Literal(Literal literal) => literal switch
    {
        Audiences.Literal.Number number => OutScalar.Number(number.ToInvariantString()),
        Audiences.Literal.Boolean flag => OutScalar.Flag(flag.Value),
        _ => OutScalar.Of(literal.ToInvariantString()),
    };

    public static OutScalar? Duration(Duration? duration) => duration is { } d ? OutScalar.Of(d.ToString()) : null;

    private static OutMap Step(SequenceStep step) => OutMap.Of(
        ("event", EventNames(step.Names)),
        ("model", Optional(step.Model)),
        ("where", Where(step.Where)),
        ("within", Duration(step.MaxGap)));

    public static (string, OutNode?)[] Window(TimeWindow window) => window switch
    {
        TimeWindow.WithinLast last => [("within_last", Duration(last.Duration))],
        TimeWindow.BetweenAgo ago => [("between_ago", new OutList([Duration(ago.Near)!, Duration(ago.Far)!]))],
        TimeWindow.Absolute absolute => [("during", new OutList([Literal(absolute.From), Literal(absolute.To)]))],
        _ => [],
    };

    private static (string, OutNode?)[] Measure(Measure measure) => measure switch
    {
        Measure.Count { Comparator: var c } when c == CountComparator.AtLeastOne => [],
        Measure.Count { Comparator: var c } when c == CountComparator.None => [("performed", OutScalar.Flag(false))],
        Measure.Count count => [("count", Count(count.Comparator))],
        Measure.Aggregate aggregate => [("aggregate", OutMap.Of(
            (aggregate.Function.ToString().ToLowerInvariant(), OutScalar.Of(aggregate.Column)),
            (OperatorCatalog.NameOf(aggregate.Test.Operator), Operand(aggregate.Test))))],
        Measure.FirstOccurrence first => [("first_occurred", Test(first.Test))],
        Measure.LastOccurrence last => [("last_occurred", Test(last.Test))],
        _ => throw new InvalidOperationException($"Unknown measure {measure.GetType().Name}."),
    };

    private static OutMap Test(PropertyTest test) => OutMap.Of((OperatorCatalog.NameOf(test.Operator), Operand(test)));

    private static OutMap Count(CountComparator count) => count.Operator switch
    {
        CountOperator.AtLeast => OutMap.Of(("at_least", Integer(count.Value))),
        CountOperator.AtMost => OutMap.Of(("at_most", Integer(count.Value))),
        CountOperator.Exactly => OutMap.Of(("exactly", Integer(count.Value))),
        _ => OutMap.Of(("between", new OutList([Integer(count.Value), Integer(count.High)]))),
    };

    private static OutMap Limit(SizeLimit limit) => OutMap.Of(
        ("size", Integer(limit.Size)),
        ("order_by", limit.OrderBy.IsDefaultOrEmpty ? null : List(limit.OrderBy, term => OutMap.Of(
            (term.Source == OrderSource.Trait ? "trait" : "column", OutScalar.Of(term.Name)),
            ("direction", term.Descending ? OutScalar.Of("desc") : null)))));

    private static OutMap Splits(SplitDefinition splits, string audienceName) => OutMap.Of(
        ("salt", splits.Salt == audienceName ? null : OutScalar.Of(splits.Salt)),
        ("groups", List(splits.Groups, group => OutMap.Of(
            ("name", OutScalar.Of(group.Name)),
            ("percent", OutScalar.Number(group.Percent.ToString(CultureInfo.InvariantCulture))),
            ("holdout", group.Holdout ? OutScalar.Flag(true) : null)))));

    private static OutNode EventNames(ImmutableArray<string> names) =>
        names.Length == 1 ? OutScalar.Of(names[0]) : List(names, OutScalar.Of);

    /// <summary>One name, a dotted path when no step contains a dot, else a list.</summary>
    private static OutNode RelationPath(ImmutableArray<string> path) =>
        !path.IsDefaultOrEmpty && path.All(p => !p.Contains('.', StringComparison.Ordinal) && p.Trim() == p && p.Length > 0)
            ? OutScalar.Of(string.Join(".", path))
            : List(path, OutScalar.Of);

    private static OutNode? Where(Condition? where) => where is null ? null : Condition(where);

    private static OutScalar? Optional(string? text) => text is null ? null : OutScalar.Of(text);

    private static OutScalar Integer(long value) => OutScalar.Number(value.ToString(CultureInfo.InvariantCulture));

    private static OutList? Names(ImmutableArray<string> names) => names.IsDefaultOrEmpty ? null : List(names, OutScalar.Of);

    private static OutList List<T>(ImmutableArray<T> items, Func<T, OutNode> write) =>
        new(items.IsDefault ? [] : [.. items.Select(write)]);

    private static OutMap Join(params (string, OutNode?)[][] parts) => OutMap.Of([.. parts.SelectMany(p => p)]);
}
