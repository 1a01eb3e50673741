using System.Collections.Frozen;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>Windows (<c>within_last</c>, <c>between_ago</c>, <c>during</c>, <c>ever</c>) and measures.</summary>
internal sealed partial class ConditionParser
{
    private static readonly FrozenSet<string> CountKeys = ["at_least", "at_most", "exactly", "between"];

    private static readonly FrozenSet<string> AggregateFunctions = ["sum", "avg", "min", "max"];

    /// <summary>The window keys of a mapping; <see cref="TimeWindow.Ever"/> when there are none, null when unreadable.</summary>
    public TimeWindow? Window(DocMapping mapping)
    {
        var entry = reader.OneOf(mapping, WindowKeys, Messages.WindowWhat, out var conflict);
        if (conflict) return null;
        if (entry is null) return TimeWindow.Ever.Instance;
        switch (entry.Key)
        {
            case "within_last":
                return Duration(entry.Value) is { } duration ? new TimeWindow.WithinLast(duration) : null;
            case "between_ago":
                return DurationPair(entry.Value, entry.Key) is var (near, far) ? new TimeWindow.BetweenAgo(near, far) : null;
            case "during":
                return LiteralPair(entry.Value, entry.Key) is var (from, to) ? new TimeWindow.Absolute(from, to) : null;
            default:
                if (reader.Boolean(entry.Value, "ever") is not { } ever) return null;
                if (ever) return TimeWindow.Ever.Instance;
                reader.Error(DiagnosticCodes.InvalidValue, Messages.FlagMustBeTrue("ever"), entry.Value.Location);
                return null;
        }
    }

    /// <summary>The measure keys of a mapping; <see cref="Audiences.Measure.Performed"/> when there are none, null when unreadable.</summary>
    public Measure? Measure(DocMapping mapping)
    {
        var entry = reader.OneOf(mapping, MeasureKeys, Messages.MeasureWhat, out var conflict);
        if (conflict) return null;
        if (entry is null) return Audiences.Measure.Performed;
        switch (entry.Key)
        {
            case "performed":
                return reader.Boolean(entry.Value, "performed") is { } performed
                    ? performed ? Audiences.Measure.Performed : new Measure.Count(CountComparator.None)
                    : null;
            case "count":
                return Count(entry.Value) is { } count ? new Measure.Count(count) : null;
            case "aggregate":
                return Aggregate(entry.Value);
            default:
            {
                if (reader.Mapping(entry.Value, entry.Key) is not { } test) return null;
                var occurrence = Test(test, [], entry.Key);
                if (occurrence is null) return null;
                return entry.Key == "first_occurred" ? new Measure.FirstOccurrence(occurrence) : new Measure.LastOccurrence(occurrence);
            }
        }
    }

    private CountComparator? Count(DocNode node)
    {
        if (reader.Mapping(node, Messages.CountWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, CountKeys, Messages.CountWhat);
        var entry = reader.OneOf(mapping, CountKeys, Messages.CountWhat, out var conflict);
        if (conflict) return null;
        if (entry is null)
        {
            if (mapping.Entries.Count == 0)
                reader.Error(DiagnosticCodes.MissingKey, Messages.MissingCountComparator, mapping.Location);
            return null;
        }
        if (entry.Key == "between")
        {
            if (reader.Sequence(entry.Value, "between") is not { } list) return null;
            if (list.Items.Count != 2)
            {
                reader.Error(DiagnosticCodes.InvalidValue, Messages.ExpectedPair("between", list.Items.Count), entry.Value.Location);
                return null;
            }
            var low = reader.Integer(list.Items[0], "between");
            var high = reader.Integer(list.Items[1], "between");
            return low is null || high is null ? null : new CountComparator(CountOperator.Between, low.Value, high.Value);
        }
        if (reader.Integer(entry.Value, entry.Key) is not { } n) return null;
        var op = entry.Key switch
        {
            "at_least" => CountOperator.AtLeast,
            "at_most" => CountOperator.AtMost,
            _ => CountOperator.Exactly,
        };
        return new CountComparator(op, n);
    }

    private Measure.Aggregate? Aggregate(DocNode node)
    {
        if (reader.Mapping(node, Messages.AggregateWhat) is not { } mapping) return null;
        var function = reader.OneOf(mapping, AggregateFunctions, Messages.AggregateWhat, out var conflict);
        if (conflict) return null;
        if (function is null)
        {
            if (mapping.Entries.FirstOrDefault(e => !OperatorCatalog.ByName.ContainsKey(e.Key)) is { } unknown)
                reader.Error(DiagnosticCodes.UnknownKey, Messages.UnknownKey(unknown.Key, Messages.AggregateWhat), unknown.KeyLocation,
                    NameSuggester.Nearest(unknown.Key, AggregateFunctions.Order(StringComparer.Ordinal)));
            else
                reader.Error(DiagnosticCodes.MissingKey, Messages.MissingAggregateFunction, mapping.Location);
            return null;
        }
        var column = reader.Name(function.Value, function.Key);
        var test = Test(mapping, [function.Key], Messages.AggregateWhat);
        if (column is null || test is null) return null;
        var fn = function.Key switch
        {
            "sum" => AggregateFunction.Sum,
            "avg" => AggregateFunction.Avg,
            "min" => AggregateFunction.Min,
            _ => AggregateFunction.Max,
        };
        return new Measure.Aggregate(fn, column, test);
    }
}
