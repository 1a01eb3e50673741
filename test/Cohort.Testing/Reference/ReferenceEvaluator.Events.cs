using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

// Section 6 (event conditions), section 8 (relation conditions) and the measures they share.
public sealed partial class ReferenceEvaluator
{
    private bool MatchesEvent(EventCondition e, ModelDefinition context, Row row, EvaluationContext ctx)
    {
        var model = ResolveEventPath(context, e.Model, e.Names).End;
        var matching = EventRows(context, row, e.Model, e.Names, e.Where, ctx)
            .Where(x => InWindow(x.Time, e.Window, ctx))
            .Select(x => x.Row)
            .ToList();
        return MeasurePasses(e.Measure, model, matching, ctx);
    }

    private bool MatchesRelation(RelationCondition r, ModelDefinition context, Row row, EvaluationContext ctx)
    {
        var path = ResolvePath(context, r.Path);
        var end = path.End;
        var matching = ReachDistinct(path, row)
            .Where(x => r.Where is null || Matches(r.Where, end, x, ctx))
            .Where(x => PassesRelatedWindow(end, x, r.Window, ctx))
            .ToList();
        return MeasurePasses(r.Measure, end, matching, ctx);
    }

    /// <summary>The measures table of section 6, over the matching rows of <paramref name="model"/>.</summary>
    private static bool MeasurePasses(Measure measure, ModelDefinition model, IReadOnlyList<Row> matching, EvaluationContext ctx)
    {
        switch (measure)
        {
            case Measure.Count c:
                return CountPasses(c.Comparator, matching.Count);

            case Measure.Aggregate a:
            {
                RequireAggregateTest(a.Test);
                var column = ColumnOf(model, a.Column);
                if (!column.Type.IsNumeric) throw new InvalidOperationException($"Cannot aggregate non-numeric column {model.Name}.{a.Column} (COH325).");
                // Aggregates ignore NULL values.
                var values = matching.Select(x => ReferenceDataset.Get(x, a.Column)).OfType<object>().Select(Values.ToDecimal).ToList();
                object? result = a.Function switch
                {
                    AggregateFunction.Sum => values.Sum(), // 0 when none
                    AggregateFunction.Avg => values.Count == 0 ? null : new ExactAverage(values.Sum(), values.Count),
                    AggregateFunction.Min => values.Count == 0 ? null : values.Min(),
                    AggregateFunction.Max => values.Count == 0 ? null : values.Max(),
                    _ => throw new InvalidOperationException($"Unknown aggregate {a.Function}."),
                };
                // avg/min/max over no values: "false when there are none", whatever the operator (even ne).
                return result is not null && PropertyTests.Passes(DataType.Number, result, a.Test, ctx);
            }

            case Measure.FirstOccurrence f:
            {
                var times = matching.Select(x => Timestamp(model, x)).OfType<DateTime>().ToList();
                return times.Count > 0 && PropertyTests.Passes(DataType.Timestamp, times.Min(), f.Test, ctx);
            }

            case Measure.LastOccurrence l:
            {
                var times = matching.Select(x => Timestamp(model, x)).OfType<DateTime>().ToList();
                return times.Count > 0 && PropertyTests.Passes(DataType.Timestamp, times.Max(), l.Test, ctx);
            }

            default:
                throw new InvalidOperationException($"Unknown measure {measure}.");
        }
    }

    private static bool CountPasses(CountComparator comparator, long count) => comparator.Operator switch
    {
        CountOperator.AtLeast => count >= comparator.Value,
        CountOperator.AtMost => count <= comparator.Value,
        CountOperator.Exactly => count == comparator.Value,
        CountOperator.Between => comparator.Value <= count && count <= comparator.High,
        _ => throw new InvalidOperationException($"Unknown count operator {comparator.Operator}."),
    };

    /// <summary>Aggregate tests are the numeric operators eq ne lt lte gt gte between.</summary>
    private static void RequireAggregateTest(PropertyTest test)
    {
        if (test.Operator is PropertyOperator.Equals or PropertyOperator.NotEquals or PropertyOperator.LessThan
            or PropertyOperator.LessOrEqual or PropertyOperator.GreaterThan or PropertyOperator.GreaterOrEqual
            or PropertyOperator.Between) return;
        throw new InvalidOperationException($"{test.Operator} is not an aggregate test.");
    }
}
