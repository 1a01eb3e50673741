using Cohort.Core.Diagnostics;

namespace Cohort.Core.Schema;

/// <summary>The outcome of a name resolution: a value, or why there is none (with the valid alternatives).</summary>
public sealed record Resolution<T>(T? Value, string? ErrorCode, string? Error, IReadOnlyList<string> Alternatives)
    where T : class
{
    public bool Succeeded => Value is not null;

    public static Resolution<T> Ok(T value) => new(value, null, null, []);

    public static Resolution<T> Fail(string code, string error, IEnumerable<string>? alternatives = null) =>
        new(null, code, error, alternatives?.ToList() ?? []);
}

/// <summary>
/// Name resolution over a schema: relationship paths from a model and the event model behind an event name.
/// Shared by the validator, the SQL compiler and the reference evaluator; it decides what names refer to,
/// never what conditions mean.
/// </summary>
public sealed class SchemaIndex(SchemaDefinition schema)
{
    public SchemaDefinition Schema { get; } = schema;

    /// <summary>Every hop that can be taken from <paramref name="model"/>.</summary>
    public IReadOnlyList<PathHop> HopsFrom(ModelDefinition model)
    {
        var hops = new List<PathHop>();
        foreach (var r in Schema.Relationships)
        {
            if (r.From == model.Name && Schema.FindModel(r.To) is { } to)
                hops.Add(Orient(r, reversed: false, model, to));
            if (r.To == model.Name && Schema.FindModel(r.From) is { } from)
                hops.Add(Orient(r, reversed: true, model, from));
        }
        return hops;
    }

    public Resolution<PathHop> ResolveHop(ModelDefinition from, string step)
    {
        var hops = HopsFrom(from);
        var byName = hops.Where(h => h.Name == step).ToList();
        if (byName.Count == 1) return Resolution<PathHop>.Ok(byName[0]);
        var byTarget = hops.Where(h => h.Target.Name == step).ToList();
        if (byName.Count == 0 && byTarget.Count == 1) return Resolution<PathHop>.Ok(byTarget[0]);
        var names = hops.Select(h => h.Name).Distinct().ToList();
        if (byName.Count > 1 || byTarget.Count > 1)
        {
            var candidates = (byName.Count > 1 ? byName : byTarget).Select(h => h.Name).Distinct().ToList();
            return Resolution<PathHop>.Fail(DiagnosticCodes.AmbiguousRelationship,
                $"'{step}' could mean several relationships from model '{from.Name}'; name one of them.", candidates);
        }
        var nearest = NameSuggester.Nearest(step, names.Concat(hops.Select(h => h.Target.Name)));
        return Resolution<PathHop>.Fail(DiagnosticCodes.UnknownRelationship,
            names.Count == 0
                ? $"Model '{from.Name}' has no relationships, so '{step}' cannot be reached from it."
                : $"Model '{from.Name}' has no relationship named '{step}'.",
            nearest.Count > 0 ? nearest : names);
    }

    public Resolution<RelationPath> ResolvePath(ModelDefinition from, IReadOnlyList<string> steps)
    {
        var hops = new List<PathHop>();
        var current = from;
        foreach (var step in steps)
        {
            var hop = ResolveHop(current, step);
            if (!hop.Succeeded)
                return Resolution<RelationPath>.Fail(hop.ErrorCode!, hop.Error!, hop.Alternatives);
            hops.Add(hop.Value!);
            current = hop.Value!.Target;
        }
        return Resolution<RelationPath>.Ok(new RelationPath(from, hops));
    }

    /// <summary>
    /// The event model an event condition in <paramref name="context"/> reads, and the one-hop path to it.
    /// With no model named, the names decide: a one-event table named like the event, or the one event model
    /// that declares the names, or else the only event model with an event-name column reachable from the context.
    /// </summary>
    public Resolution<RelationPath> ResolveEventPath(ModelDefinition context, string? modelName, IReadOnlyList<string> names)
    {
        var eventModels = Schema.Models.Where(m => m.Kind == ModelKind.Event).ToList();
        ModelDefinition? model;
        if (modelName is not null)
        {
            model = Schema.FindModel(modelName);
            if (model is null || model.Kind != ModelKind.Event)
                return Resolution<RelationPath>.Fail(DiagnosticCodes.UnknownModel,
                    $"'{modelName}' is not an event model.", NameSuggester.Nearest(modelName, eventModels.Select(m => m.Name)));
        }
        else
        {
            var reachable = eventModels.Where(m => HopsFrom(context).Any(h => h.Target.Name == m.Name)).ToList();
            var declaring = reachable.Where(m =>
                (m.SingleEventName is { } single && names.All(n => n == single)) ||
                (m.EventNameColumn is not null && !m.EventNames.IsEmpty && names.All(m.EventNames.Contains))).ToList();
            if (declaring.Count == 1) model = declaring[0];
            else if (declaring.Count > 1)
                return Resolution<RelationPath>.Fail(DiagnosticCodes.AmbiguousEventModel,
                    $"Event '{string.Join(", ", names)}' is declared by several event models; add 'model:'.", declaring.Select(m => m.Name));
            else
            {
                var open = reachable.Where(m => m.EventNameColumn is not null && m.EventNames.IsEmpty).ToList();
                if (open.Count == 1) model = open[0];
                else if (open.Count > 1)
                    return Resolution<RelationPath>.Fail(DiagnosticCodes.AmbiguousEventModel,
                        $"Several event models could hold '{string.Join(", ", names)}'; add 'model:'.", open.Select(m => m.Name));
                else
                {
                    var known = reachable.SelectMany(m => m.SingleEventName is { } s ? [s] : m.EventNames.AsEnumerable()).Distinct();
                    return Resolution<RelationPath>.Fail(DiagnosticCodes.UnknownEvent,
                        $"No event model reachable from '{context.Name}' holds '{string.Join(", ", names)}'.",
                        NameSuggester.Nearest(names.FirstOrDefault() ?? "", known));
                }
            }
        }

        var links = HopsFrom(context).Where(h => h.Target.Name == model.Name).ToList();
        if (links.Count == 0)
            return Resolution<RelationPath>.Fail(DiagnosticCodes.UnknownRelationship,
                $"No relationship links model '{context.Name}' to event model '{model.Name}'.");
        if (links.Count > 1)
            return Resolution<RelationPath>.Fail(DiagnosticCodes.AmbiguousRelationship,
                $"Several relationships link '{context.Name}' to '{model.Name}'.", links.Select(h => h.Name));
        return Resolution<RelationPath>.Ok(new RelationPath(context, [links[0]]));
    }

    private PathHop Orient(RelationshipDefinition r, bool reversed, ModelDefinition source, ModelDefinition target)
    {
        var join = r.Through is null ? null : Schema.FindModel(r.Through.Model);
        if (!reversed)
            return new PathHop(r, false, source, target, r.FromKey, r.ToKey, r.Cardinality,
                join, r.Through?.FromKey, r.Through?.ToKey);
        var cardinality = r.Cardinality switch
        {
            Cardinality.OneToMany => Cardinality.ManyToOne,
            Cardinality.ManyToOne => Cardinality.OneToMany,
            var same => same,
        };
        return new PathHop(r, true, source, target, r.ToKey, r.FromKey, cardinality,
            join, r.Through?.ToKey, r.Through?.FromKey);
    }
}
