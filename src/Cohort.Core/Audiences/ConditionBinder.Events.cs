using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Audiences;

/// <summary>Event, sequence and relation conditions: what they reach, their windows and their measures.</summary>
internal sealed partial class ConditionBinder
{
    private Condition Event(EventCondition condition, ModelDefinition context)
    {
        var site = Site.Of(condition);
        var model = EventModel(context, condition.Model, OrEmpty(condition.Names), site);
        if (model is null) return condition;
        return condition with
        {
            Where = condition.Where is null ? null : Bind(condition.Where, model, isParentContext: false),
            Window = Window(condition.Window, site, model, fixedLengthOnly: false),
            Measure = Measure(condition.Measure, site, model),
        };
    }

    private Condition Relation(RelationCondition condition, ModelDefinition context)
    {
        var site = Site.Of(condition);
        if (condition.Path.IsDefaultOrEmpty)
        {
            Error(DiagnosticCodes.MissingKey, Messages.EmptyRelationPath, site.At("relation"));
            return condition;
        }
        var resolution = schema.ResolvePath(context, condition.Path);
        if (!resolution.Succeeded)
        {
            Error(resolution.ErrorCode!, resolution.Error!, site.At("relation"), resolution.Alternatives);
            return condition;
        }
        var path = resolution.Value!;
        var end = path.End;
        if (path.MayRepeatRows && end.PrimaryKey is null)
            Error(DiagnosticCodes.PathNeedsKey, Messages.PathNeedsKey(string.Join(".", condition.Path), end.Name), site.At("relation"));
        return condition with
        {
            Where = condition.Where is null ? null : Bind(condition.Where, end, isParentContext: false),
            Window = Window(condition.Window, site, end, fixedLengthOnly: false),
            Measure = Measure(condition.Measure, site, end),
        };
    }

    private Condition Sequence(SequenceCondition condition, ModelDefinition context)
    {
        var site = Site.Of(condition);
        var steps = OrEmpty(condition.Steps);
        if (steps.Length < 2 && !(steps.Length == 1 && condition.NotFollowedBy is not null))
            Error(DiagnosticCodes.SequenceTooShort, Messages.SequenceTooShort(steps.Length), site.At("sequence"));
        var bound = steps.Select((step, i) => Step(step, i, context, site.Into("sequence", $"[{i}]"))).ToList();
        if (condition.Within is { } within)
            CheckGap(within, site.At("within"));
        var window = Window(condition.Window, site, model: null, fixedLengthOnly: true);
        SequenceStep? notFollowedBy = null;
        if (condition.NotFollowedBy is { } nfb)
        {
            var nfbSite = Site.Of(nfb, nfb.Location ?? site.At("not_followed_by"));
            if (nfb.MaxGap is null)
                Error(DiagnosticCodes.SequenceTooShort, Messages.NotFollowedByNeedsWithin, site.At("not_followed_by"));
            notFollowedBy = Step(nfb, -1, context, nfbSite);
        }
        return condition with { Steps = [.. bound], Window = window, NotFollowedBy = notFollowedBy };
    }

    /// <param name="index">The step's position, or -1 for a not-followed-by step.</param>
    private SequenceStep Step(SequenceStep step, int index, ModelDefinition context, Site fallback)
    {
        var site = Site.Of(step, step.Location ?? fallback.Here);
        if (step.MaxGap is { } gap)
        {
            if (index == 0)
                Error(DiagnosticCodes.InvalidValue, Messages.FirstStepGap, site.At("within"));
            CheckGap(gap, site.At("within"));
        }
        var model = EventModel(context, step.Model, OrEmpty(step.Names), site);
        if (model is null || step.Where is null) return step;
        return SourceMap.Carry(step, step with { Where = Bind(step.Where, model, isParentContext: false) });
    }

    private void CheckGap(Duration gap, SourceLocation? at)
    {
        if (gap.Amount < 0) Error(DiagnosticCodes.NegativeAmount, Messages.NegativeDuration(gap), at);
        if (!gap.IsFixedLength) Error(DiagnosticCodes.CalendarUnitInSequence, Messages.CalendarUnitInSequence(gap), at, ["days", "weeks"]);
    }

    /// <summary>The event model an event condition or step reads, with its names checked; null when it does not resolve.</summary>
    private ModelDefinition? EventModel(ModelDefinition context, string? modelName, IReadOnlyList<string> names, Site site)
    {
        if (names.Count == 0)
        {
            Error(DiagnosticCodes.MissingKey, Messages.MissingEventName, site.At("event"));
            return null;
        }
        var resolution = schema.ResolveEventPath(context, modelName, names);
        if (!resolution.Succeeded)
        {
            var key = resolution.ErrorCode == DiagnosticCodes.UnknownModel ? "model" : "event";
            Error(resolution.ErrorCode!, resolution.Error!, site.At(key), resolution.Alternatives);
            return null;
        }
        var model = resolution.Value!.End;
        var known = model.SingleEventName is { } single ? [single] : model.EventNames;
        if (known.IsDefaultOrEmpty) return model;
        foreach (var name in names.Where(n => !known.Contains(n)))
            Error(DiagnosticCodes.UnknownEvent, Messages.UnknownEventInModel(name, model.Name), EventNameLocation(site, names, name),
                NameSuggester.Nearest(name, known));
        return model;
    }

    private static SourceLocation? EventNameLocation(Site site, IReadOnlyList<string> names, string name) =>
        SourceMap.NodeAt(site.Node, [.. site.Prefix, "event"]) is DocSequence
            ? site.At("event", $"[{names.ToList().IndexOf(name)}]")
            : site.At("event");

    internal TimeWindow Window(TimeWindow window, Site site, ModelDefinition? model, bool fixedLengthOnly)
    {
        if (window is TimeWindow.Ever) return window;
        var key = site.Key(ConditionParser.WindowKeys.Contains, WindowKey(window));
        var at = site.At(key);
        if (model is not null && model.TimestampColumn is null)
        {
            Error(DiagnosticCodes.WindowNeedsTimestamp, Messages.WindowNeedsTimestamp(key, model.Name), at);
            return window;
        }
        switch (window)
        {
            case TimeWindow.WithinLast last:
                CheckWindowDuration(last.Duration, at, fixedLengthOnly);
                return window;
            case TimeWindow.BetweenAgo ago:
                CheckWindowDuration(ago.Near, at, fixedLengthOnly);
                CheckWindowDuration(ago.Far, at, fixedLengthOnly);
                CheckAgoRange(ago.Near, ago.Far, at);
                return window;
            case TimeWindow.Absolute absolute:
            {
                const string subject = "'during'";
                var from = Temporal(absolute.From, timestampAllowed: true, at, subject);
                var to = Temporal(absolute.To, timestampAllowed: true, at, subject);
                if (Compare(from, to) > 0)
                    Error(DiagnosticCodes.InvalidRange, Messages.RangeReversed(from.ToInvariantString(), to.ToInvariantString()), at);
                return new TimeWindow.Absolute(from, to);
            }
            default:
                return window;
        }
    }

    private void CheckWindowDuration(Duration duration, SourceLocation? at, bool fixedLengthOnly)
    {
        if (duration.Amount < 0) Error(DiagnosticCodes.NegativeAmount, Messages.NegativeDuration(duration), at);
        if (fixedLengthOnly && !duration.IsFixedLength)
            Error(DiagnosticCodes.CalendarUnitInSequence, Messages.CalendarUnitInSequence(duration), at, ["days", "weeks"]);
    }

    private static string WindowKey(TimeWindow window) => window switch
    {
        TimeWindow.WithinLast => "within_last",
        TimeWindow.BetweenAgo => "between_ago",
        TimeWindow.Absolute => "during",
        _ => "ever",
    };

    private Measure Measure(Measure measure, Site site, ModelDefinition model)
    {
        switch (measure)
        {
            case Measure.Count count:
            {
                var key = site.Key(k => k is "count" or "performed", "count");
                var c = count.Comparator;
                if (c.Value < 0 || (c.Operator == CountOperator.Between && c.High < 0))
                    Error(DiagnosticCodes.InvalidCount, Messages.NegativeCount, site.At(key));
                else if (c.Operator == CountOperator.Between && c.Value > c.High)
                    Error(DiagnosticCodes.InvalidRange, Messages.RangeReversed(Text(c.Value), Text(c.High)), site.At(key));
                return measure;
            }
            case Measure.Aggregate aggregate:
                return Aggregate(aggregate, site.Into("aggregate"), model);
            case Measure.FirstOccurrence first:
                return Occurrence(first.Test, site, "first_occurred", model) is { } firstTest ? first with { Test = firstTest } : measure;
            case Measure.LastOccurrence last:
                return Occurrence(last.Test, site, "last_occurred", model) is { } lastTest ? last with { Test = lastTest } : measure;
            default:
                return measure;
        }
    }

    private Measure Aggregate(Measure.Aggregate aggregate, Site site, ModelDefinition model)
    {
        var function = aggregate.Function.ToString().ToLowerInvariant();
        var column = model.FindColumn(aggregate.Column);
        var ok = true;
        if (column is null)
        {
            Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(model.Name, aggregate.Column), site.At(function),
                NameSuggester.Nearest(aggregate.Column, model.Columns.Select(c => c.Name)));
            ok = false;
        }
        else if (!column.Type.IsNumeric)
        {
            Error(DiagnosticCodes.AggregateNeedsNumber, Messages.AggregateNeedsNumber(function, column.Name, column.Type), site.At(function));
            ok = false;
        }
        var op = aggregate.Test.Operator;
        if (!OperatorCatalog.NumericComparisons.Contains(op))
        {
            var written = site.Key(k => OperatorCatalog.ByName.ContainsKey(k), OperatorCatalog.NameOf(op));
            Error(DiagnosticCodes.AggregateNeedsNumber, Messages.AggregateTest(written), site.At(written),
                ["eq", "ne", "lt", "lte", "gt", "gte", "between"]);
            return aggregate;
        }
        if (!ok) return aggregate;
        return aggregate with { Test = Test(aggregate.Test, DataType.Number, site, Messages.AggregateSubject(function, column!.Name)) };
    }

    private PropertyTest? Occurrence(PropertyTest test, Site site, string key, ModelDefinition model)
    {
        if (model.TimestampColumn is null)
        {
            Error(DiagnosticCodes.WindowNeedsTimestamp, Messages.WindowNeedsTimestamp(key, model.Name), site.At(key));
            return null;
        }
        var inner = site.Into(key);
        if (!OperatorCatalog.OccurrenceOperators.Contains(test.Operator))
        {
            var written = inner.Key(k => OperatorCatalog.ByName.ContainsKey(k), OperatorCatalog.NameOf(test.Operator));
            var valid = OperatorCatalog.OccurrenceOperators.Select(OperatorCatalog.NameOf).Order(StringComparer.Ordinal).ToList();
            Error(DiagnosticCodes.OperatorNotValidForType, Messages.OperatorNotValid(written, Messages.OccurrenceSubject(key), valid),
                inner.At(written), NameSuggester.Nearest(written, valid));
            return null;
        }
        return Test(test, DataType.Timestamp, inner, Messages.OccurrenceSubject(key));
    }
}
