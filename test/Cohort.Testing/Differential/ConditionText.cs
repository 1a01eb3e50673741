using System.Text;
using Cohort.Core.Audiences;

namespace Cohort.Testing.Differential;

/// <summary>
/// Conditions and audiences as one-line YAML-like text, so that a failing (shrunk) differential case can be read.
/// Records' own ToString shows immutable arrays as type names, which says nothing.
/// </summary>
public static class ConditionText
{
    public static string Format(AudienceDefinition a)
    {
        var text = new StringBuilder($"{a.Name}: ");
        text.Append(a.Condition is null ? "(every row)" : Format(a.Condition));
        if (!a.Exclusions.IsEmpty) text.Append($" exclude [{string.Join(", ", a.Exclusions)}]");
        if (a.Limit is { } l)
            text.Append($" limit {l.Size} by [{string.Join(", ", l.OrderBy.Select(t => $"{(t.Source == OrderSource.Trait ? "trait " : "")}{t.Name} {(t.Descending ? "desc" : "asc")}"))}]");
        if (a.Splits is { } s)
            text.Append($" splits '{s.Salt}' [{string.Join(", ", s.Groups.Select(g => $"{g.Name} {g.Percent}%"))}]");
        return text.ToString();
    }

    public static string Format(Condition c) => c switch
    {
        AllCondition all => $"all: [{string.Join(", ", all.Conditions.Select(Format))}]",
        AnyCondition any => $"any: [{string.Join(", ", any.Conditions.Select(Format))}]",
        NotCondition not => $"not: {Format(not.Inner)}",
        PropertyCondition p => $"{{property: {p.Column}, {Format(p.Test)}}}",
        TraitCondition t => $"{{trait: {t.Trait}, {Format(t.Test)}}}",
        AudienceCondition a => $"{{audience: {a.Audience}, member: {(a.Member ? "true" : "false")}}}",
        EventCondition e =>
            $"{{event: [{string.Join(", ", e.Names)}]{(e.Model is null ? "" : $", model: {e.Model}")}{Where(e.Where)}{Format(e.Window)}, {Format(e.Measure)}}}",
        RelationCondition r => $"{{relation: {string.Join(".", r.Path)}{Where(r.Where)}{Format(r.Window)}, {Format(r.Measure)}}}",
        SequenceCondition s =>
            $"{{sequence: [{string.Join(", ", s.Steps.Select(Format))}]{(s.Within is { } w ? $", within: {w}" : "")}{Format(s.Window)}" +
            $"{(s.NotFollowedBy is { } f ? $", not_followed_by: {Format(f)}" : "")}}}",
        _ => c.ToString(),
    };

    public static string Format(PropertyTest test) => $"{Key(test.Operator)}: {Format(test.Operand)}";

    private static string Format(SequenceStep s) =>
        $"{{event: [{string.Join(", ", s.Names)}]{(s.Model is null ? "" : $", model: {s.Model}")}{Where(s.Where)}{(s.MaxGap is { } g ? $", within: {g}" : "")}}}";

    private static string Where(Condition? where) => where is null ? "" : $", where: {Format(where)}";

    private static string Format(TimeWindow window) => window switch
    {
        TimeWindow.Ever => "",
        TimeWindow.WithinLast w => $", within_last: {w.Duration}",
        TimeWindow.BetweenAgo b => $", between_ago: [{b.Near}, {b.Far}]",
        TimeWindow.Absolute a => $", during: [{a.From}, {a.To}]",
        _ => window.ToString(),
    };

    private static string Format(Measure measure) => measure switch
    {
        Measure.Count { Comparator: var c } => c.Operator switch
        {
            CountOperator.AtLeast when c.Value == 1 => "performed: true",
            CountOperator.Exactly when c.Value == 0 => "performed: false",
            CountOperator.Between => $"count: {{between: [{c.Value}, {c.High}]}}",
            var op => $"count: {{{Snake(op.ToString())}: {c.Value}}}",
        },
        Measure.Aggregate a => $"aggregate: {{{a.Function.ToString().ToLowerInvariant()}: {a.Column}, {Format(a.Test)}}}",
        Measure.FirstOccurrence f => $"first_occurred: {{{Format(f.Test)}}}",
        Measure.LastOccurrence l => $"last_occurred: {{{Format(l.Test)}}}",
        _ => measure.ToString(),
    };

    private static string Format(Operand operand) => operand switch
    {
        Operand.None => "true",
        Operand.Value v => Quote(v.Literal),
        Operand.Values vs => $"[{string.Join(", ", vs.Literals.Select(Quote))}]",
        Operand.Range r => $"[{Quote(r.Low)}, {Quote(r.High)}]",
        Operand.Relative r => r.Duration.ToString(),
        Operand.RelativeRange r => $"[{r.Near}, {r.Far}]",
        Operand.Days d => $"[{string.Join(", ", d.DaysOfWeek.Select(x => x.ToString().ToLowerInvariant()))}]",
        _ => operand.ToString(),
    };

    private static string Quote(Literal literal) =>
        literal is Literal.String s ? Reference.ReferenceDataset.Format(s.Value) : literal.ToInvariantString();

    private static string Key(PropertyOperator op) => op switch
    {
        PropertyOperator.LessThan => "lt",
        PropertyOperator.LessOrEqual => "lte",
        PropertyOperator.GreaterThan => "gt",
        PropertyOperator.GreaterOrEqual => "gte",
        _ => Snake(op.ToString()),
    };

    private static string Snake(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
