using System.Globalization;

namespace Cohort.Core.Audiences;

/// <summary>One-line English summaries of conditions, for preview block labels and lists. Not a parser format.</summary>
public static class ConditionDescriber
{
    private const int MaxLength = 120;

    public static string Describe(Condition condition)
    {
        var text = Text(condition);
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
    }

    private static string Text(Condition c) => c switch
    {
        AllCondition all => all.Conditions.Length == 1 ? Text(all.Conditions[0]) : $"all of ({string.Join("; ", all.Conditions.Select(Text))})",
        AnyCondition any => any.Conditions.Length == 1 ? Text(any.Conditions[0]) : $"any of ({string.Join("; ", any.Conditions.Select(Text))})",
        NotCondition not => $"not ({Text(not.Inner)})",
        PropertyCondition p => $"{p.Column} {Test(p.Test)}",
        TraitCondition t => $"{t.Trait} {Test(t.Test)}",
        AudienceCondition a => a.Member ? $"in audience {a.Audience}" : $"not in audience {a.Audience}",
        EventCondition e => Event(e),
        SequenceCondition s => Sequence(s),
        RelationCondition r => Relation(r),
        _ => c.GetType().Name,
    };

    private static string Event(EventCondition e)
    {
        var names = Names(e.Names);
        var where = e.Where is null ? "" : $" where {Text(e.Where)}";
        var window = Window(e.Window);
        return e.Measure switch
        {
            Measure.Count { Comparator: { Operator: CountOperator.AtLeast, Value: 1 } } => $"performed {names}{where}{window}",
            Measure.Count { Comparator: { Operator: CountOperator.Exactly, Value: 0 } } => $"did not perform {names}{where}{window}",
            Measure.Count c => $"{names} {Count(c.Comparator)}{where}{window}",
            Measure.Aggregate a => $"{a.Function.ToString().ToLowerInvariant()} of {a.Column} {Test(a.Test)} over {names}{where}{window}",
            Measure.FirstOccurrence f => $"first {names}{where}{window} {Test(f.Test)}",
            Measure.LastOccurrence l => $"last {names}{where}{window} {Test(l.Test)}",
            _ => names,
        };
    }

    private static string Relation(RelationCondition r)
    {
        var path = string.Join(".", r.Path);
        var where = r.Where is null ? "" : $" where {Text(r.Where)}";
        var window = Window(r.Window);
        return r.Measure switch
        {
            Measure.Count { Comparator: { Operator: CountOperator.AtLeast, Value: 1 } } => $"has {path}{where}{window}",
            Measure.Count { Comparator: { Operator: CountOperator.Exactly, Value: 0 } } => $"has no {path}{where}{window}",
            Measure.Count c => $"{path} {Count(c.Comparator)}{where}{window}",
            Measure.Aggregate a => $"{a.Function.ToString().ToLowerInvariant()} of {path}.{a.Column} {Test(a.Test)}{where}{window}",
            Measure.FirstOccurrence f => $"first {path}{where} {Test(f.Test)}",
            Measure.LastOccurrence l => $"last {path}{where} {Test(l.Test)}",
            _ => path,
        };
    }

    private static string Sequence(SequenceCondition s)
    {
        var steps = string.Join(" then ", s.Steps.Select(step =>
            Names(step.Names) + (step.MaxGap is { } g ? $" within {g}" : "")));
        var within = s.Within is { } w ? $", all within {w}" : "";
        var follow = s.NotFollowedBy is { } f ? $", not followed by {Names(f.Names)} within {f.MaxGap}" : "";
        return $"{steps}{within}{Window(s.Window)}{follow}";
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"[{string.Join(", ", names)}]";

    private static string Window(TimeWindow w) => w switch
    {
        TimeWindow.WithinLast l => $" in the last {l.Duration}",
        TimeWindow.BetweenAgo b => $" between {b.Near} and {b.Far} ago",
        TimeWindow.Absolute a => $" during {a.From}..{a.To}",
        _ => "",
    };

    private static string Count(CountComparator c) => c.Operator switch
    {
        CountOperator.AtLeast => $"at least {Times(c.Value)}",
        CountOperator.AtMost => $"at most {Times(c.Value)}",
        CountOperator.Exactly => $"exactly {Times(c.Value)}",
        _ => $"between {c.Value} and {c.High} times",
    };

    private static string Times(long n) => n == 1 ? "once" : $"{n.ToString(CultureInfo.InvariantCulture)} times";

    private static string Test(PropertyTest t)
    {
        var op = t.Operator switch
        {
            PropertyOperator.Equals => "=",
            PropertyOperator.NotEquals => "≠",
            PropertyOperator.LessThan => "<",
            PropertyOperator.LessOrEqual => "≤",
            PropertyOperator.GreaterThan => ">",
            PropertyOperator.GreaterOrEqual => "≥",
            PropertyOperator.In => "in",
            PropertyOperator.NotIn => "not in",
            PropertyOperator.IsSet => "is set",
            PropertyOperator.IsNotSet => "is not set",
            PropertyOperator.IsTrue => "is true",
            PropertyOperator.IsFalse => "is false",
            PropertyOperator.WithinLast => "within the last",
            PropertyOperator.MoreThanAgo => "more than",
            PropertyOperator.BetweenAgo => "between",
            PropertyOperator.WithinNext => "within the next",
            PropertyOperator.AnniversaryWithinNext => "anniversary within the next",
            PropertyOperator.DayOfWeek => "on",
            var other => string.Concat(other.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString())),
        };
        var operand = t.Operand switch
        {
            Operand.Value v => Literal(v.Literal),
            Operand.Values v => $"[{string.Join(", ", v.Literals.Select(Literal))}]",
            Operand.Range r => $"{Literal(r.Low)}..{Literal(r.High)}",
            Operand.Relative r => r.Duration.ToString(),
            Operand.RelativeRange r => $"{r.Near} and {r.Far} ago",
            Operand.Days d => string.Join("/", d.DaysOfWeek.Select(x => x.ToString()[..3])),
            _ => "",
        };
        var suffix = t.Operator == PropertyOperator.MoreThanAgo ? " ago" : "";
        return operand.Length == 0 ? op : $"{op} {operand}{suffix}";
    }

    private static string Literal(Literal l) => l is Literal.String s ? $"\"{s.Value}\"" : l.ToInvariantString();
}
