using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

// Sections 9 and 10: traits and trait conditions.
public sealed partial class ReferenceEvaluator
{
    /// <summary>
    /// The trait's value for a parent row (section 10): long for counts, the column's CLR type for
    /// sum/min/max/first/last/most_frequent, decimal for avg (rounded to decimal precision; conditions compare the
    /// exact average), a list for list, or null.
    /// </summary>
    public object? TraitValue(TraitDefinition trait, Row parentRow, EvaluationContext ctx)
    {
        var value = ComputeTrait(trait, parentRow, ctx);
        return value is ExactAverage avg ? avg.Value : value;
    }

    /// <summary>The logical type of a trait's value, which decides the operators a trait condition may use.</summary>
    public DataType TraitType(TraitDefinition trait)
    {
        if (trait.Kind is TraitKind.Count or TraitKind.DistinctCount) return DataType.Integer;
        if (trait.Kind == TraitKind.Avg) return DataType.Number;
        var column = TraitColumn(trait, TraitEnd(trait));
        return trait.Kind == TraitKind.List ? DataType.ArrayOf(column.Type.Element) : column.Type;
    }

    private bool MatchesTrait(TraitCondition condition, ModelDefinition parent, Row row, EvaluationContext ctx)
    {
        var trait = Schema.FindTrait(condition.Trait) ?? throw new InvalidOperationException($"Unknown trait '{condition.Trait}'.");
        if (trait.Model != parent.Name)
            throw new InvalidOperationException($"Trait '{trait.Name}' belongs to '{trait.Model}', not '{parent.Name}'.");
        return PropertyTests.Passes(TraitType(trait), ComputeTrait(trait, row, ctx), condition.Test, ctx);
    }

    // A trait's value depends only on the parent row and the context, so it is remembered per row (by reference).
    private readonly Dictionary<(string Trait, EvaluationContext Context), Dictionary<Row, object?>> traitValues = [];

    /// <summary>The trait's value, with an average kept exact (<see cref="ExactAverage"/>) for comparisons and ordering.</summary>
    private object? ComputeTrait(TraitDefinition trait, Row parentRow, EvaluationContext ctx)
    {
        if (!traitValues.TryGetValue((trait.Name, ctx), out var byRow))
            traitValues[(trait.Name, ctx)] = byRow = new Dictionary<Row, object?>(ReferenceEqualityComparer.Instance);
        if (!byRow.TryGetValue(parentRow, out var value))
            byRow[parentRow] = value = ComputeTraitUncached(trait, parentRow, ctx);
        return value;
    }

    private object? ComputeTraitUncached(TraitDefinition trait, Row parentRow, EvaluationContext ctx)
    {
        var end = TraitEnd(trait);
        var rows = TraitRows(trait, parentRow, ctx);
        if (trait.Kind == TraitKind.Count) return (long)rows.Count;

        var column = TraitColumn(trait, end);
        // Aggregates ignore NULL values.
        var values = rows.Select(r => ReferenceDataset.Get(r, column.Name)).OfType<object>().ToList();
        switch (trait.Kind)
        {
            case TraitKind.Sum:
                RequireNumeric(column, trait);
                return column.Type.Element == ScalarType.Integer ? values.Sum(v => (long)v) : values.Sum(Values.ToDecimal);
            case TraitKind.Avg:
                RequireNumeric(column, trait);
                return values.Count == 0 ? null : new ExactAverage(values.Sum(Values.ToDecimal), values.Count);
            case TraitKind.Min:
                return values.Count == 0 ? null : values.Order(Values.Instance).First();
            case TraitKind.Max:
                return values.Count == 0 ? null : values.Order(Values.Instance).Last();
            case TraitKind.First:
            case TraitKind.Last:
            {
                // Among rows where both the timestamp and the value are non-NULL: the earliest (latest) timestamp,
                // ties going to the smallest value.
                var pairs = rows
                    .Select(r => (Time: Timestamp(end, r), Value: ReferenceDataset.Get(r, column.Name)))
                    .Where(p => p.Time is not null && p.Value is not null)
                    .ToList();
                if (pairs.Count == 0) return null;
                var time = trait.Kind == TraitKind.First ? pairs.Min(p => p.Time!.Value) : pairs.Max(p => p.Time!.Value);
                return pairs.Where(p => p.Time == time).Select(p => p.Value!).Order(Values.Instance).First();
            }
            case TraitKind.MostFrequent:
            {
                if (values.Count == 0) return null;
                var groups = values.GroupBy(v => v, Values.Instance).ToList();
                var most = groups.Max(g => g.Count());
                return groups.Where(g => g.Count() == most).Select(g => g.Key).Order(Values.Instance).First();
            }
            case TraitKind.DistinctCount:
                return (long)values.Distinct(Values.Instance).Count();
            case TraitKind.List:
                // No non-NULL values (whether or not there were rows) gives NULL, like min and max.
                return values.Count == 0 ? null : values.Distinct(Values.Instance).Order(Values.Instance).ToList();
            default:
                throw new InvalidOperationException($"Unknown trait kind {trait.Kind}.");
        }
    }

    /// <summary>
    /// Rows aggregated (section 10): chosen like a relation condition's (distinct rows, where, window), or, when
    /// the path ends at an event model, like an event condition's (names, t ≤ asOf, where, window).
    /// </summary>
    private List<Row> TraitRows(TraitDefinition trait, Row parentRow, EvaluationContext ctx)
    {
        var path = ResolvePath(Schema.GetModel(trait.Model), trait.Path);
        var end = path.End;
        if (end.Kind != ModelKind.Event)
        {
            return [.. ReachDistinct(path, parentRow)
                .Where(r => trait.Where is null || Matches(trait.Where, end, r, ctx))
                .Where(r => PassesRelatedWindow(end, r, trait.Window, ctx))];
        }
        return [.. Reach(path, parentRow)
            .Where(r => trait.EventNames.IsDefaultOrEmpty || HasEventName(end, r, trait.EventNames))
            .Where(r => Timestamp(end, r) is { } t && t <= ctx.AsOfUtc && InWindow(t, trait.Window, ctx))
            .Where(r => trait.Where is null || Matches(trait.Where, end, r, ctx))];
    }

    private ModelDefinition TraitEnd(TraitDefinition trait) => ResolvePath(Schema.GetModel(trait.Model), trait.Path).End;

    private static ColumnDefinition TraitColumn(TraitDefinition trait, ModelDefinition end)
    {
        var column = ColumnOf(end, trait.Column ?? throw new InvalidOperationException($"Trait '{trait.Name}' ({trait.Kind}) needs a column."));
        if (column.Type.IsArray) throw new InvalidOperationException($"Trait '{trait.Name}' cannot aggregate array column {end.Name}.{column.Name}.");
        return column;
    }

    private static void RequireNumeric(ColumnDefinition column, TraitDefinition trait)
    {
        if (!column.Type.IsNumeric) throw new InvalidOperationException($"Trait '{trait.Name}' ({trait.Kind}) needs a numeric column.");
    }
}
