using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

// Walking relationship paths and choosing rows by name, timestamp and window.
public sealed partial class ReferenceEvaluator
{
    private readonly Dictionary<(string Model, string Column), ILookup<object, int>> lookups = [];

    /// <summary>
    /// The rows of the path's last model connected to <paramref name="start"/> through every hop (an inner join),
    /// each physical row once, in dataset order. Hops are walked one at a time; a many-to-many hop goes through
    /// its join model. NULL keys join nothing.
    /// </summary>
    private List<Row> Reach(RelationPath path, Row start)
    {
        if (path.Hops.Count == 0) throw new InvalidOperationException("A relationship path needs at least one hop.");
        var sources = new List<Row> { start };
        SortedSet<int> reached = [];
        foreach (var hop in path.Hops)
        {
            reached = [];
            foreach (var source in sources)
            {
                var key = ReferenceDataset.Get(source, hop.SourceKey);
                if (key is null) continue;
                if (hop.Join is null)
                {
                    reached.UnionWith(RowsWith(hop.Target, hop.TargetKey, key));
                    continue;
                }
                foreach (var j in RowsWith(hop.Join, hop.JoinSourceKey!, key))
                {
                    var joinKey = ReferenceDataset.Get(data.Rows(hop.Join.Name)[j], hop.JoinTargetKey!);
                    if (joinKey is not null) reached.UnionWith(RowsWith(hop.Target, hop.TargetKey, joinKey));
                }
            }
            var targetRows = data.Rows(hop.Target.Name);
            sources = [.. reached.Select(i => targetRows[i])];
        }
        return sources;
    }

    /// <summary>
    /// Reached rows of a relation path (section 8): the distinct rows of the last model by its primary key.
    /// (Keys are validated unique, so this agrees with <see cref="Reach"/>'s physical rows; it is spelled out
    /// because it is the definition.) A model without a primary key keeps its physical rows.
    /// </summary>
    private List<Row> ReachDistinct(RelationPath path, Row start)
    {
        var rows = Reach(path, start);
        if (path.End.PrimaryKey is not { } pk) return rows;
        return [.. rows.DistinctBy(r => ReferenceDataset.Get(r, pk)
            ?? throw new InvalidOperationException($"A row of '{path.End.Name}' has a NULL primary key."), Values.Instance)];
    }

    private IEnumerable<int> RowsWith(ModelDefinition model, string column, object key)
    {
        if (!lookups.TryGetValue((model.Name, column), out var lookup))
        {
            ColumnOf(model, column);
            lookup = data.Rows(model.Name)
                .Select((row, i) => (Value: ReferenceDataset.Get(row, column), Index: i))
                .Where(x => x.Value is not null)
                .ToLookup(x => x.Value!, x => x.Index, Values.Instance);
            lookups[(model.Name, column)] = lookup;
        }
        return lookup[key];
    }

    // Name resolution depends only on the schema, so it is remembered (it would otherwise be redone for every row).
    private readonly Dictionary<string, RelationPath> paths = [];

    private RelationPath ResolvePath(ModelDefinition from, IReadOnlyList<string> steps)
    {
        var key = $"path\u0001{from.Name}\u0001{string.Join("\u0001", steps)}";
        if (paths.TryGetValue(key, out var path)) return path;
        var resolved = index.ResolvePath(from, steps);
        return paths[key] = resolved.Value ?? throw new InvalidOperationException(resolved.Error);
    }

    private RelationPath ResolveEventPath(ModelDefinition context, string? model, IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new InvalidOperationException("An event condition needs at least one event name.");
        var key = $"event\u0001{context.Name}\u0001{model}\u0001{string.Join("\u0001", names)}";
        if (paths.TryGetValue(key, out var path)) return path;
        var resolved = index.ResolveEventPath(context, model, names);
        return paths[key] = resolved.Value ?? throw new InvalidOperationException(resolved.Error);
    }

    /// <summary>
    /// Section 6, rules 1-4: rows of the event model that belong to the context row, carry one of the names,
    /// have a non-NULL timestamp at or before asOf, and satisfy <paramref name="where"/>. The window (rule 5)
    /// is left to the caller because not_followed_by ignores it. Duplicate rows stay separate.
    /// </summary>
    private List<(Row Row, DateTime Time)> EventRows(
        ModelDefinition context, Row row, string? model, IReadOnlyList<string> names, Condition? where, EvaluationContext ctx)
    {
        var path = ResolveEventPath(context, model, names);
        var eventModel = path.End;
        var result = new List<(Row, DateTime)>();
        foreach (var e in Reach(path, row))
        {
            if (!HasEventName(eventModel, e, names)) continue;
            if (Timestamp(eventModel, e) is not { } t || t > ctx.AsOfUtc) continue;
            if (where is not null && !Matches(where, eventModel, e, ctx)) continue;
            result.Add((e, t));
        }
        return result;
    }

    /// <summary>A table holding one event matches when that event is named; otherwise the event-name column must be one of the names.</summary>
    private static bool HasEventName(ModelDefinition model, Row row, IReadOnlyList<string> names)
    {
        if (model.SingleEventName is { } single) return names.Contains(single, StringComparer.Ordinal);
        var column = model.EventNameColumn ?? throw new InvalidOperationException($"'{model.Name}' is not an event model.");
        return ReferenceDataset.Get(row, column) is string name && names.Contains(name, StringComparer.Ordinal);
    }

    /// <summary>The row's timestamp (its model's timestamp column), or null when NULL.</summary>
    private static DateTime? Timestamp(ModelDefinition model, Row row)
    {
        var column = model.TimestampColumn ?? throw new InvalidOperationException($"Model '{model.Name}' has no timestamp column (COH328).");
        return ReferenceDataset.Get(row, column) switch
        {
            null => null,
            DateTime t => Values.RequireUtc(t),
            var other => throw new InvalidOperationException($"Timestamp column {model.Name}.{column} holds a {other.GetType().Name}."),
        };
    }

    /// <summary>Section 6 rule 5: whether t falls in the window. (t ≤ asOf is checked separately.)</summary>
    private static bool InWindow(DateTime t, TimeWindow window, EvaluationContext ctx) => window switch
    {
        TimeWindow.Ever => true,
        TimeWindow.WithinLast w => Calendar.Add(ctx.AsOfUtc, w.Duration, -1) <= t && t <= ctx.AsOfUtc,
        TimeWindow.BetweenAgo b => Calendar.Add(ctx.AsOfUtc, b.Far, -1) <= t && t <= Calendar.Add(ctx.AsOfUtc, b.Near, -1),
        TimeWindow.Absolute a => PropertyTests.AtOrAfterLow(t, a.From, ctx.TimeZone) && PropertyTests.AtOrBeforeHigh(t, a.To, ctx.TimeZone),
        _ => throw new InvalidOperationException($"Unknown window {window}."),
    };

    /// <summary>
    /// Section 8: with a window, related rows need a non-NULL timestamp at or before asOf inside the window;
    /// with none (or <c>ever</c>), they are not filtered by time at all.
    /// </summary>
    private static bool PassesRelatedWindow(ModelDefinition model, Row row, TimeWindow window, EvaluationContext ctx)
    {
        if (window is TimeWindow.Ever) return true;
        return Timestamp(model, row) is { } t && t <= ctx.AsOfUtc && InWindow(t, window, ctx);
    }
}
