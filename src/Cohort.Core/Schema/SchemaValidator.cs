using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Schema;

/// <summary>
/// Static checks of a schema (docs/schema.md, "Validation"): models, relationships and traits, and how they
/// refer to each other. Returns the schema with trait filters bound (literals typed for their columns).
/// </summary>
public static partial class SchemaValidator
{
    public static SchemaDefinition Validate(SchemaDefinition schema, DiagnosticBag diagnostics)
    {
        var index = new SchemaIndex(schema);
        CheckModels(schema, diagnostics);
        CheckRelationships(schema, diagnostics);
        var traits = TraitRules.Check(index, diagnostics);
        return schema with { Traits = traits };
    }

    private static void CheckModels(SchemaDefinition schema, DiagnosticBag diagnostics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in schema.Models)
        {
            var site = Site.Of(model, model.Location);
            if (!names.Add(model.Name))
                diagnostics.Error(DiagnosticCodes.DuplicateName, Messages.DuplicateModel(model.Name), site.Here);
            if (!Identifier().IsMatch(model.Name))
                diagnostics.Error(DiagnosticCodes.InvalidValue, Messages.InvalidModelName(model.Name), site.Here);
            CheckColumns(model, site, diagnostics);
            CheckKeyColumns(model, site, diagnostics);
            CheckEventKeys(model, site, diagnostics);
        }
    }

    private static void CheckColumns(ModelDefinition model, Site site, DiagnosticBag diagnostics)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in model.Columns)
        {
            if (!columns.Add(column.Name))
                diagnostics.Error(DiagnosticCodes.DuplicateName, Messages.DuplicateColumn(model.Name, column.Name), column.Location ?? site.At("columns"));
        }
    }

    private static void CheckKeyColumns(ModelDefinition model, Site site, DiagnosticBag diagnostics)
    {
        if (model.Kind == ModelKind.Parent && model.PrimaryKey is null)
            diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.ParentWithoutKey(model.Name), site.Here);
        if (model.Kind == ModelKind.Event && model.TimestampColumn is null)
            diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.EventWithoutTimestamp(model.Name), site.Here);

        DeclaredColumn(model, model.PrimaryKey, "primary_key", site, diagnostics);
        if (DeclaredColumn(model, model.TimestampColumn, "timestamp", site, diagnostics) is { } timestamp && timestamp.Type != DataType.Timestamp)
            diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.TimestampNotTimestamp(timestamp.Name, timestamp.Type), site.At("timestamp"));
        if (DeclaredColumn(model, model.EventNameColumn, "event_name", site, diagnostics) is { } eventName && eventName.Type != DataType.String)
            diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.EventNameNotString(eventName.Name, eventName.Type), site.At("event_name"));
    }

    private static ColumnDefinition? DeclaredColumn(ModelDefinition model, string? name, string key, Site site, DiagnosticBag diagnostics)
    {
        if (name is null) return null;
        var column = model.FindColumn(name);
        if (column is null)
            diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.KeyColumnNotDeclared(key, name, model.Name), site.At(key),
                NameSuggester.Nearest(name, model.Columns.Select(c => c.Name)));
        return column;
    }

    private static void CheckEventKeys(ModelDefinition model, Site site, DiagnosticBag diagnostics)
    {
        if (model.Kind != ModelKind.Event)
        {
            foreach (var (key, present) in new[] { ("event_name", model.EventNameColumn is not null), ("event", model.EventName is not null), ("events", !model.EventNames.IsEmpty) })
            {
                if (present) diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.EventKeyOnNonEventModel(key, model.Name), site.At(key));
            }
            return;
        }
        if (model.EventNameColumn is not null && model.EventName is not null)
            diagnostics.Error(DiagnosticCodes.ConflictingKeys, Messages.ConflictingKeys("event_name", "event", Messages.ModelWhat(model.Name)), site.At("event"));
        if (model.EventNameColumn is null && !model.EventNames.IsEmpty)
            diagnostics.Error(DiagnosticCodes.InvalidModel, Messages.EventsWithoutEventName(model.Name), site.At("events"));
    }

    private static void CheckRelationships(SchemaDefinition schema, DiagnosticBag diagnostics)
    {
        var modelNames = schema.Models.Select(m => m.Name).ToList();
        var hopNames = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var relationship in schema.Relationships)
        {
            var site = Site.Of(relationship, relationship.Location);
            var from = Model(schema, relationship.From, site.At("from"), modelNames, diagnostics);
            var to = Model(schema, relationship.To, site.At("to"), modelNames, diagnostics);
            KeyColumn(from, relationship.FromKey, site.At("from_key"), diagnostics);
            KeyColumn(to, relationship.ToKey, site.At("to_key"), diagnostics);
            CheckThrough(schema, relationship, site, modelNames, diagnostics);

            if (!Names(hopNames, relationship.From).Add(relationship.Name))
                diagnostics.Error(DiagnosticCodes.DuplicateName, Messages.DuplicateRelationship(relationship.Name, relationship.From),
                    site.At(SourceMap.FindKey(relationship, [], k => k == "name") ?? "to"));
            if (relationship.ReverseName is { } reverse && !Names(hopNames, relationship.To).Add(reverse))
                diagnostics.Error(DiagnosticCodes.DuplicateName, Messages.DuplicateRelationship(reverse, relationship.To), site.At("reverse_name"));
        }
    }

    private static HashSet<string> Names(Dictionary<string, HashSet<string>> names, string model)
    {
        if (!names.TryGetValue(model, out var set)) names[model] = set = new HashSet<string>(StringComparer.Ordinal);
        return set;
    }

    private static void CheckThrough(SchemaDefinition schema, RelationshipDefinition relationship, Site site, List<string> modelNames, DiagnosticBag diagnostics)
    {
        if (relationship.Cardinality == Cardinality.ManyToMany && relationship.Through is null)
        {
            diagnostics.Error(DiagnosticCodes.InvalidRelationship, Messages.ManyToManyNeedsThrough(relationship.From, relationship.To), site.At("cardinality"));
            return;
        }
        if (relationship.Through is not { } through) return;
        if (relationship.Cardinality != Cardinality.ManyToMany)
        {
            diagnostics.Error(DiagnosticCodes.InvalidRelationship, Messages.ThroughOnlyManyToMany(SchemaReader.NameOf(relationship.Cardinality)), site.At("through"));
            return;
        }
        var join = Model(schema, through.Model, site.At("through", "model"), modelNames, diagnostics);
        KeyColumn(join, through.FromKey, site.At("through", "from_key"), diagnostics);
        KeyColumn(join, through.ToKey, site.At("through", "to_key"), diagnostics);
    }

    private static ModelDefinition? Model(SchemaDefinition schema, string name, SourceLocation? at, List<string> modelNames, DiagnosticBag diagnostics)
    {
        var model = schema.FindModel(name);
        if (model is null)
            diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.UnknownModel(name), at, NameSuggester.Nearest(name, modelNames));
        return model;
    }

    private static void KeyColumn(ModelDefinition? model, string column, SourceLocation? at, DiagnosticBag diagnostics)
    {
        if (model is not null && model.FindColumn(column) is null)
            diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(model.Name, column), at,
                NameSuggester.Nearest(column, model.Columns.Select(c => c.Name)));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial Regex Identifier();
}
