using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Services;

namespace Cohort.Server.Studio.Builder;

/// <summary>What every condition editor needs: the schema for pickers, suggestions, diagnostics placed by path, and a change signal.</summary>
public sealed class BuilderContext(ProjectSnapshot snapshot, Actor actor, PreviewRunner previews, Action changed, Action redraw)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _suggestions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loading = new(StringComparer.Ordinal);
    private Dictionary<int, List<Diagnostic>> _byNode = [];

    public ProjectSnapshot Snapshot { get; } = snapshot;

    public SchemaDefinition Schema => Snapshot.Schema;

    public SchemaIndex Index { get; } = snapshot.Index;

    public Actor Actor { get; } = actor;

    public bool ReadOnly { get; init; }

    public void Changed() => changed();

    /// <summary>Every event name declared by the schema's event models.</summary>
    public IReadOnlyList<string> EventNames => [.. Schema.Models.Where(m => m.Kind == ModelKind.Event)
        .SelectMany(m => m.SingleEventName is { } single ? [single] : (IEnumerable<string>)m.EventNames).Distinct().Order(StringComparer.Ordinal)];

    public IReadOnlyList<TraitDefinition> TraitsOf(string model) => [.. Schema.Traits.Where(t => t.Model == model)];

    public IReadOnlyList<string> AudiencesOf(string model, string? except) =>
        [.. Snapshot.ValidAudiences.Where(a => a.Model == model && a.Name != except).Select(a => a.Name).Order(StringComparer.Ordinal)];

    /// <summary>Relationship paths of one or two hops from a model (e.g. orders, orders.products).</summary>
    public IReadOnlyList<string> PathsFrom(ModelDefinition? model)
    {
        if (model is null) return [];
        var paths = new List<string>();
        foreach (var hop in Index.HopsFrom(model))
        {
            paths.Add(hop.Name);
            foreach (var second in Index.HopsFrom(hop.Target).Where(h => h.Target.Name != model.Name)) paths.Add($"{hop.Name}.{second.Name}");
        }
        return [.. paths.Distinct().Order(StringComparer.Ordinal)];
    }

    public ModelDefinition? EventModel(ModelDefinition? context, IReadOnlyList<string> names) =>
        context is null || names.Count == 0 ? null : Index.ResolveEventPath(context, null, names).Value?.End;

    public ModelDefinition? RelationTarget(ModelDefinition? context, string path) =>
        context is null || path.Length == 0 ? null : Index.ResolvePath(context, path.Split('.')).Value?.End;

    public static IReadOnlyList<string> OperatorsFor(DataType? type) => type is { } t ? OperatorCatalog.NamesFor(t) : [];

    public static IReadOnlyList<string> NumericOperators => [.. OperatorCatalog.NumericComparisons.Select(OperatorCatalog.NameOf).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> OccurrenceOperators => [.. OperatorCatalog.OccurrenceOperators.Select(OperatorCatalog.NameOf).Order(StringComparer.Ordinal)];

    /// <summary>Value suggestions for a column (enum values or frequent warehouse values); loaded once in the background.</summary>
    public IReadOnlyList<string> Suggestions(ModelDefinition? model, string column)
    {
        if (model is null || column.Length == 0) return [];
        var key = $"{model.Name}.{column}";
        if (_suggestions.TryGetValue(key, out var cached)) return cached;
        if (model.FindColumn(column) is { EnumValues.Length: > 0 } withEnum) return withEnum.EnumValues;
        if (_loading.Add(key)) _ = LoadAsync(model.Name, column, key);
        return [];
    }

    private async Task LoadAsync(string model, string column, string key)
    {
        try
        {
            _suggestions[key] = await previews.SuggestValuesAsync(Actor, model, column, 20).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Suggestions are a convenience: a failure leaves the picker empty.
        catch (Exception)
#pragma warning restore CA1031
        {
            _suggestions[key] = [];
        }
        redraw();
    }

    // ---------- diagnostics placed next to the field that caused them

    public ImmutableArray<Diagnostic> Diagnostics { get; private set; } = [];

    /// <summary>Diagnostics no node claimed (top-level fields and anything unplaced).</summary>
    public List<Diagnostic> Unplaced { get; private set; } = [];

    public void Place(ImmutableArray<Diagnostic> diagnostics, AudienceDraft draft)
    {
        Diagnostics = diagnostics;
        var nodes = new List<ConditionDraft>();
        Collect(draft.Root, nodes);
        _byNode = [];
        Unplaced = [];
        foreach (var d in diagnostics)
        {
            var path = d.Location?.Path ?? "";
            var owner = nodes.Where(n => n.Path.Length > 0 && (path == n.Path || path.StartsWith(n.Path + ".", StringComparison.Ordinal) || path.StartsWith(n.Path + "[", StringComparison.Ordinal)))
                .OrderByDescending(n => n.Path.Length).ThenByDescending(n => n.IsGroup ? 0 : 1).FirstOrDefault();
            if (owner is null) Unplaced.Add(d);
            else (_byNode.TryGetValue(owner.Id, out var list) ? list : _byNode[owner.Id] = []).Add(d);
        }
    }

    public IReadOnlyList<Diagnostic> ErrorsOf(ConditionDraft node) => _byNode.TryGetValue(node.Id, out var list) ? list : [];

    public IEnumerable<Diagnostic> ErrorsAt(string topLevelKey) =>
        Unplaced.Where(d => d.Location?.Path is { } p && (p == topLevelKey || p.StartsWith(topLevelKey + ".", StringComparison.Ordinal) || p.StartsWith(topLevelKey + "[", StringComparison.Ordinal)));

    private static void Collect(ConditionDraft node, List<ConditionDraft> into)
    {
        into.Add(node);
        foreach (var child in node.Children) Collect(child, into);
        if (node.Where is { } where) Collect(where, into);
    }
}
