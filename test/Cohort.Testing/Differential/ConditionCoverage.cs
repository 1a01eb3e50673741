using Cohort.Core.Audiences;

namespace Cohort.Testing.Differential;

/// <summary>
/// Counts which features of the condition language a set of trees exercises: condition kinds, operators (with the
/// literal kind they were used with), measures, windows, and sequence and relation shapes. Used to check that the
/// generators reach everything, and to report what a differential run covered.
/// </summary>
public sealed class ConditionCoverage
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Counts => counts;

    public int this[string feature] => counts.GetValueOrDefault(feature);

    public void Add(AudienceDefinition audience)
    {
        if (audience.Condition is { } c) Add(c);
        if (!audience.Exclusions.IsEmpty) Count("audience:exclusions");
        if (audience.Limit is { } limit) Count(limit.OrderBy.IsEmpty ? "audience:limit_by_bucket" : "audience:limit_ordered");
        if (audience.Splits is not null) Count("audience:splits");
    }

    public void Add(Condition condition)
    {
        Count("kind:" + condition.GetType().Name.Replace("Condition", "", StringComparison.Ordinal));
        switch (condition)
        {
            case AllCondition all:
                foreach (var c in all.Conditions) Add(c);
                break;
            case AnyCondition any:
                foreach (var c in any.Conditions) Add(c);
                break;
            case NotCondition not:
                Add(not.Inner);
                break;
            case PropertyCondition p:
                Add(p.Test);
                break;
            case TraitCondition t:
                Add(t.Test);
                break;
            case AudienceCondition a:
                Count(a.Member ? "audience:member" : "audience:not_member");
                break;
            case EventCondition e:
                if (e.Names.Length > 1) Count("event:several_names");
                if (e.Where is { } ew) Add(ew);
                Add(e.Window);
                Add(e.Measure);
                break;
            case RelationCondition r:
                Count(r.Path.Length > 1 ? "relation:multi_hop" : "relation:one_hop");
                if (r.Where is { } rw)
                {
                    Count("relation:where");
                    Add(rw);
                }
                Add(r.Window);
                Add(r.Measure);
                break;
            case SequenceCondition s:
                Count(s.Steps.Length == 1 ? "sequence:one_step" : "sequence:several_steps");
                if (s.Steps.Any(x => x.MaxGap is not null)) Count("sequence:gap");
                if (s.Within is not null) Count("sequence:within");
                if (s.NotFollowedBy is not null) Count("sequence:not_followed_by");
                foreach (var step in s.Steps.Append(s.NotFollowedBy))
                {
                    if (step?.Where is { } sw) Add(sw);
                }
                Add(s.Window);
                break;
        }
    }

    private void Add(PropertyTest test)
    {
        Count("operator:" + test.Operator);
        var literal = test.Operand switch
        {
            Operand.Value v => v.Literal.GetType().Name,
            Operand.Range r => $"{r.Low.GetType().Name}..{r.High.GetType().Name}",
            _ => null,
        };
        if (literal is not null) Count($"operator:{test.Operator}:{literal}");
    }

    private void Add(TimeWindow window) => Count(window switch
    {
        TimeWindow.Ever => "window:ever",
        TimeWindow.WithinLast => "window:within_last",
        TimeWindow.BetweenAgo => "window:between_ago",
        TimeWindow.Absolute a => $"window:during:{a.From.GetType().Name}..{a.To.GetType().Name}",
        _ => "window:?",
    });

    private void Add(Measure measure)
    {
        switch (measure)
        {
            case Measure.Count { Comparator: var c }:
                Count(c.Operator == CountOperator.AtLeast && c.Value == 1 ? "measure:performed"
                    : c.Operator == CountOperator.Exactly && c.Value == 0 ? "measure:not_performed"
                    : "measure:count:" + c.Operator);
                break;
            case Measure.Aggregate a:
                Count("measure:aggregate:" + a.Function);
                Add(a.Test);
                break;
            case Measure.FirstOccurrence f:
                Count("measure:first_occurred");
                Add(f.Test);
                break;
            case Measure.LastOccurrence l:
                Count("measure:last_occurred");
                Add(l.Test);
                break;
        }
    }

    private void Count(string feature) => counts[feature] = counts.GetValueOrDefault(feature) + 1;
}
