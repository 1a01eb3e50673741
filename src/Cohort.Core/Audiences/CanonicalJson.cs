using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>
/// A compact, canonical JSON encoding of the AST: keys in ordinal order, every default written out, numbers
/// normalised (1.50 = 1.5), literal types kept apart ("5" vs 5, dates and timestamps tagged), no locations.
/// Two definitions mean the same thing to every engine exactly when their canonical JSON is equal, so it
/// serves as a cache key. It encodes the AST's structure, not the file syntax, and is not meant to be read back.
/// </summary>
public static class CanonicalJson
{
    public static string Of(Condition condition) => JsonDocumentWriter.Write(Condition(condition), indented: false, sortKeys: true);

    public static string Of(AudienceDefinition audience) => JsonDocumentWriter.Write(Audience(audience), indented: false, sortKeys: true);

    private static OutMap Audience(AudienceDefinition a) => OutMap.Of(
        ("name", Text(a.Name)),
        ("model", Text(a.Model)),
        ("description", a.Description is null ? null : Text(a.Description)),
        ("labels", Names(a.Labels)),
        ("folder", a.Folder is null ? null : Text(a.Folder)),
        ("condition", a.Condition is null ? null : Condition(a.Condition)),
        ("exclude", Names(a.Exclusions)),
        ("limit", a.Limit is not { } limit ? null : OutMap.Of(
            ("size", Integer(limit.Size)),
            ("order_by", List(limit.OrderBy, t => OutMap.Of(
                ("source", Text(t.Source.ToString().ToLowerInvariant())),
                ("name", Text(t.Name)),
                ("descending", OutScalar.Flag(t.Descending))))))),
        ("splits", a.Splits is not { } splits ? null : OutMap.Of(
            ("salt", Text(splits.Salt)),
            ("groups", List(splits.Groups, g => OutMap.Of(
                ("name", Text(g.Name)),
                ("percent", Number(g.Percent)),
                ("holdout", OutScalar.Flag(g.Holdout))))))));

    private static OutMap Condition(Condition condition) => condition switch
    {
        AllCondition all => Kind("all", ("conditions", List(all.Conditions, Condition))),
        AnyCondition any => Kind("any", ("conditions", List(any.Conditions, Condition))),
        NotCondition not => Kind("not", ("condition", Condition(not.Inner))),
        PropertyCondition p => Kind("property", ("column", Text(p.Column)), ("test", Test(p.Test))),
        TraitCondition t => Kind("trait", ("trait", Text(t.Trait)), ("test", Test(t.Test))),
        AudienceCondition a => Kind("audience", ("audience", Text(a.Audience)), ("member", OutScalar.Flag(a.Member))),
        EventCondition e => Kind("event",
            ("model", e.Model is null ? null : Text(e.Model)),
            ("names", List(e.Names, Text)),
            ("where", e.Where is null ? null : Condition(e.Where)),
            ("window", Window(e.Window)),
            ("measure", Measure(e.Measure))),
        SequenceCondition s => Kind("sequence",
            ("steps", List(s.Steps, Step)),
            ("within", s.Within is { } within ? Duration(within) : null),
            ("window", Window(s.Window)),
            ("not_followed_by", s.NotFollowedBy is null ? null : Step(s.NotFollowedBy))),
        RelationCondition r => Kind("relation",
            ("path", List(r.Path, Text)),
            ("where", r.Where is null ? null : Condition(r.Where)),
            ("window", Window(r.Window)),
            ("measure", Measure(r.Measure))),
        _ => throw new InvalidOperationException($"Unknown condition node {condition.GetType().Name}."),
    };

    private static OutMap Kind(string kind, params (string, OutNode?)[] entries) => OutMap.Of([("kind", Text(kind)), .. entries]);

    private static OutMap Step(SequenceStep step) => OutMap.Of(
        ("model", step.Model is null ? null : Text(step.Model)),
        ("names", List(step.Names, Text)),
        ("where", step.Where is null ? null : Condition(step.Where)),
        ("max_gap", step.MaxGap is { } gap ? Duration(gap) : null));

    private static OutMap Test(PropertyTest test) => OutMap.Of(
        ("op", Text(OperatorCatalog.NameOf(test.Operator))),
        test.Operand switch
        {
            Operand.None => ("operand", null),
            Operand.Value v => ("value", Literal(v.Literal)),
            Operand.Values v => ("values", List(v.Literals, Literal)),
            Operand.Range r => ("range", new OutList([Literal(r.Low), Literal(r.High)])),
            Operand.Relative r => ("duration", Duration(r.Duration)),
            Operand.RelativeRange r => ("durations", new OutList([Duration(r.Near), Duration(r.Far)])),
            Operand.Days d => ("days", List(d.DaysOfWeek, day => Text(day.ToString().ToLowerInvariant()))),
            _ => throw new InvalidOperationException($"Unknown operand {test.Operand.GetType().Name}."),
        });

    private static OutMap Window(TimeWindow window) => window switch
    {
        TimeWindow.WithinLast w => OutMap.Of(("within_last", Duration(w.Duration))),
        TimeWindow.BetweenAgo w => OutMap.Of(("between_ago", new OutList([Duration(w.Near), Duration(w.Far)]))),
        TimeWindow.Absolute w => OutMap.Of(("during", new OutList([Literal(w.From), Literal(w.To)]))),
        _ => OutMap.Of(("ever", OutScalar.Flag(true))),
    };

    private static OutMap Measure(Measure measure) => measure switch
    {
        Measure.Count c => OutMap.Of(("count", OutMap.Of(
            ("op", Text(CountOperatorName(c.Comparator.Operator))),
            ("value", Integer(c.Comparator.Value)),
            ("high", c.Comparator.Operator == CountOperator.Between ? Integer(c.Comparator.High) : null)))),
        Measure.Aggregate a => OutMap.Of(("aggregate", OutMap.Of(
            ("function", Text(a.Function.ToString().ToLowerInvariant())),
            ("column", Text(a.Column)),
            ("test", Test(a.Test))))),
        Measure.FirstOccurrence f => OutMap.Of(("first_occurred", Test(f.Test))),
        Measure.LastOccurrence l => OutMap.Of(("last_occurred", Test(l.Test))),
        _ => throw new InvalidOperationException($"Unknown measure {measure.GetType().Name}."),
    };

    private static string CountOperatorName(CountOperator op) => op switch
    {
        CountOperator.AtLeast => "at_least",
        CountOperator.AtMost => "at_most",
        CountOperator.Exactly => "exactly",
        _ => "between",
    };

    private static OutNode Literal(Literal literal) => literal switch
    {
        Audiences.Literal.String s => Text(s.Value),
        Audiences.Literal.Number n => Number(n.Value),
        Audiences.Literal.Boolean b => OutScalar.Flag(b.Value),
        Audiences.Literal.Date d => OutMap.Of(("date", Text(d.ToInvariantString()))),
        Audiences.Literal.Timestamp t => OutMap.Of(("timestamp", Text(t.ToInvariantString()))),
        _ => throw new InvalidOperationException($"Unknown literal {literal.GetType().Name}."),
    };

    private static OutMap Duration(Duration duration) => OutMap.Of(
        ("amount", Integer(duration.Amount)),
        ("unit", Text(duration.Unit.ToString().ToLowerInvariant())));

    /// <summary>The shortest decimal text: trailing zeros after the point removed.</summary>
    private static OutScalar Number(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal)) text = text.TrimEnd('0').TrimEnd('.');
        return OutScalar.Number(text is "-0" ? "0" : text);
    }

    private static OutScalar Integer(long value) => OutScalar.Number(value.ToString(CultureInfo.InvariantCulture));

    private static OutScalar Text(string text) => OutScalar.Of(text);

    private static OutList Names(ImmutableArray<string> names) => List(names, Text);

    private static OutList List<T>(ImmutableArray<T> items, Func<T, OutNode> write) =>
        new(items.IsDefault ? [] : [.. items.Select(write)]);
}
