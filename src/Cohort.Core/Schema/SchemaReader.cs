using System.Collections.Frozen;
using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Schema;

/// <summary>
/// Reads a schema file (docs/schema.md) into a <see cref="SchemaDefinition"/>. Parts that cannot be read are
/// left out and reported; <see cref="SchemaValidator"/> then checks how the parts fit together.
/// </summary>
public static class SchemaReader
{
    private static readonly FrozenSet<string> RootKeys = ["models", "relationships", "traits"];

    private static readonly FrozenSet<string> ModelKeys =
        ["kind", "table", "sql", "primary_key", "timestamp", "event_name", "event", "events", "description", "columns"];

    private static readonly FrozenSet<string> ColumnKeys = ["type", "pii", "description", "enum"];

    private static readonly FrozenSet<string> RelationshipKeys =
        ["from", "from_key", "to", "to_key", "cardinality", "name", "reverse_name", "through"];

    private static readonly FrozenSet<string> ThroughKeys = ["model", "from_key", "to_key"];

    private static readonly FrozenSet<string> TraitKeys =
        ["model", "from", "kind", "column", "event", "where", "description", .. ConditionParser.WindowKeys];

    private static readonly FrozenDictionary<string, ModelKind> ModelKinds = new Dictionary<string, ModelKind>
    {
        ["parent"] = ModelKind.Parent,
        ["related"] = ModelKind.Related,
        ["event"] = ModelKind.Event,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Cardinality> Cardinalities = new Dictionary<string, Cardinality>
    {
        ["one_to_one"] = Cardinality.OneToOne,
        ["one_to_many"] = Cardinality.OneToMany,
        ["many_to_one"] = Cardinality.ManyToOne,
        ["many_to_many"] = Cardinality.ManyToMany,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, TraitKind> TraitKinds = new Dictionary<string, TraitKind>
    {
        ["count"] = TraitKind.Count,
        ["sum"] = TraitKind.Sum,
        ["avg"] = TraitKind.Avg,
        ["min"] = TraitKind.Min,
        ["max"] = TraitKind.Max,
        ["first"] = TraitKind.First,
        ["last"] = TraitKind.Last,
        ["most_frequent"] = TraitKind.MostFrequent,
        ["distinct_count"] = TraitKind.DistinctCount,
        ["list"] = TraitKind.List,
    }.ToFrozenDictionary();

    /// <summary>The schema-file spelling of a cardinality.</summary>
    public static string NameOf(Cardinality cardinality) => Cardinalities.First(c => c.Value == cardinality).Key;

    /// <summary>The schema-file spelling of a trait kind.</summary>
    public static string NameOf(TraitKind kind) => TraitKinds.First(k => k.Value == kind).Key;

    public static SchemaDefinition? ReadFile(string path, DiagnosticBag diagnostics, string? displayName = null) =>
        DocumentReader.ReadFile(path, diagnostics, displayName) is { } root ? Read(root, diagnostics) : null;

    public static SchemaDefinition Read(DocNode root, DiagnosticBag diagnostics)
    {
        var reader = new NodeReader(diagnostics);
        if (reader.Mapping(root, Messages.SchemaWhat) is not { } mapping) return SchemaDefinition.Empty;
        reader.RejectUnknownKeys(mapping, RootKeys, Messages.SchemaWhat);
        var models = ImmutableArray.CreateBuilder<ModelDefinition>();
        var relationships = ImmutableArray.CreateBuilder<RelationshipDefinition>();
        var traits = ImmutableArray.CreateBuilder<TraitDefinition>();

        if (mapping.Find("models") is { } modelsEntry && reader.Mapping(modelsEntry.Value, "'models'") is { } modelMap)
        {
            foreach (var entry in modelMap.Entries)
            {
                if (Model(entry, reader) is { } model) models.Add(model);
            }
        }
        if (mapping.Find("relationships") is { } relEntry && reader.Sequence(relEntry.Value, "relationships") is { } relList)
        {
            foreach (var item in relList.Items)
            {
                if (Relationship(item, reader) is { } relationship) relationships.Add(relationship);
            }
        }
        if (mapping.Find("traits") is { } traitsEntry && reader.Mapping(traitsEntry.Value, "'traits'") is { } traitMap)
        {
            var parser = new ConditionParser(reader);
            foreach (var entry in traitMap.Entries)
            {
                if (Trait(entry, parser) is { } trait) traits.Add(trait);
            }
        }
        return new SchemaDefinition(models.ToImmutable(), relationships.ToImmutable(), traits.ToImmutable());
    }

    private static ModelDefinition? Model(DocEntry entry, NodeReader reader)
    {
        if (reader.Mapping(entry.Value, Messages.ModelWhat(entry.Key)) is not { } mapping) return null;
        var what = Messages.ModelWhat(entry.Key);
        reader.RejectUnknownKeys(mapping, ModelKeys, what);
        var kind = reader.Required(mapping, "kind", what) is { } kindEntry ? Choice(kindEntry.Value, "kind", ModelKinds, reader) : null;

        ModelSource? source = null;
        var sourceEntry = reader.OneOf(mapping, ["table", "sql"], what, out var conflict);
        if (sourceEntry is null && !conflict)
            reader.Error(DiagnosticCodes.MissingKey, Messages.MissingModelSource(entry.Key), mapping.Location);
        else if (sourceEntry is not null && reader.Name(sourceEntry.Value, sourceEntry.Key) is { } text)
            source = sourceEntry.Key == "sql" ? new ModelSource.Query(text) : Table(text);

        var ok = true;
        var columns = Columns(mapping, reader, ref ok);
        var primaryKey = OptionalName(mapping, "primary_key", reader, ref ok);
        var timestamp = OptionalName(mapping, "timestamp", reader, ref ok);
        var eventName = OptionalName(mapping, "event_name", reader, ref ok);
        var eventSingle = OptionalName(mapping, "event", reader, ref ok);
        var description = OptionalText(mapping, "description", reader, ref ok);
        var events = ImmutableArray<string>.Empty;
        if (mapping.Find("events") is { } eventsEntry)
        {
            if (reader.Names(eventsEntry.Value, "events") is { } names) events = names;
            else ok = false;
        }
        if (kind is null || source is null || !ok) return null;
        var model = new ModelDefinition(entry.Key, kind.Value, source, columns, primaryKey, timestamp, eventName, eventSingle, events,
            description, mapping.Location);
        return SourceMap.Attach(model, mapping);
    }

    private static ModelSource.Table Table(string text)
    {
        var dot = text.LastIndexOf('.');
        return dot <= 0 ? new ModelSource.Table(null, text) : new ModelSource.Table(text[..dot], text[(dot + 1)..]);
    }

    private static ImmutableArray<ColumnDefinition> Columns(DocMapping model, NodeReader reader, ref bool ok)
    {
        if (model.Find("columns") is not { } entry) return [];
        if (reader.Mapping(entry.Value, "'columns'") is not { } mapping)
        {
            ok = false;
            return [];
        }
        var columns = ImmutableArray.CreateBuilder<ColumnDefinition>(mapping.Entries.Count);
        foreach (var column in mapping.Entries)
        {
            if (Column(column, reader) is { } definition) columns.Add(definition);
        }
        return columns.ToImmutable();
    }

    private static ColumnDefinition? Column(DocEntry entry, NodeReader reader)
    {
        var what = Messages.ColumnWhat(entry.Key);
        if (entry.Value is DocScalar)
            return Type(entry.Value, reader) is { } shorthand
                ? SourceMap.Attach(new ColumnDefinition(entry.Key, shorthand, Location: entry.KeyLocation), entry.Value)
                : null;
        if (reader.Mapping(entry.Value, what) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, ColumnKeys, what);
        var type = reader.Required(mapping, "type", what) is { } typeEntry ? Type(typeEntry.Value, reader) : null;
        var ok = true;
        var description = OptionalText(mapping, "description", reader, ref ok);
        var pii = mapping.Find("pii") is { } piiEntry ? reader.Boolean(piiEntry.Value, "pii") : false;
        var values = ImmutableArray<string>.Empty;
        if (mapping.Find("enum") is { } enumEntry)
        {
            if (reader.Names(enumEntry.Value, "enum") is { } names) values = names;
            else ok = false;
        }
        if (type is null || pii is null || !ok) return null;
        return SourceMap.Attach(new ColumnDefinition(entry.Key, type.Value, description, pii.Value, values, entry.KeyLocation), mapping);
    }

    /// <summary>
    /// A column type. An unknown type is reported (COH207) and read as its nearest valid type, or as string,
    /// so that one misspelling does not cascade into errors about every use of the column.
    /// </summary>
    private static DataType? Type(DocNode node, NodeReader reader)
    {
        if (reader.Text(node, "type") is not { } text) return null;
        if (DataType.TryParse(text, out var type)) return type;
        var nearest = NameSuggester.Nearest(text, DataType.Names.Keys);
        reader.Error(DiagnosticCodes.UnknownType, Messages.UnknownType(text), node.Location, nearest);
        return nearest.Count > 0 ? DataType.Names[nearest[0]] : DataType.String;
    }

    private static RelationshipDefinition? Relationship(DocNode node, NodeReader reader)
    {
        var what = Messages.RelationshipWhat;
        if (reader.Mapping(node, what) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, RelationshipKeys, what);
        var from = RequiredName(mapping, "from", what, reader);
        var fromKey = RequiredName(mapping, "from_key", what, reader);
        var to = RequiredName(mapping, "to", what, reader);
        var toKey = RequiredName(mapping, "to_key", what, reader);
        var cardinality = reader.Required(mapping, "cardinality", what) is { } c ? Choice(c.Value, "cardinality", Cardinalities, reader) : null;
        var ok = true;
        var name = OptionalName(mapping, "name", reader, ref ok);
        var reverse = OptionalName(mapping, "reverse_name", reader, ref ok);
        ThroughDefinition? through = null;
        if (mapping.Find("through") is { } throughEntry)
        {
            through = Through(throughEntry.Value, reader);
            ok &= through is not null;
        }
        if (from is null || fromKey is null || to is null || toKey is null || cardinality is null || !ok) return null;
        var relationship = new RelationshipDefinition(name ?? to, from, to, cardinality.Value, fromKey, toKey, through, reverse, mapping.Location);
        return SourceMap.Attach(relationship, mapping);
    }

    private static ThroughDefinition? Through(DocNode node, NodeReader reader)
    {
        const string what = "'through'";
        if (reader.Mapping(node, what) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, ThroughKeys, what);
        var model = RequiredName(mapping, "model", what, reader);
        var fromKey = RequiredName(mapping, "from_key", what, reader);
        var toKey = RequiredName(mapping, "to_key", what, reader);
        return model is null || fromKey is null || toKey is null ? null : new ThroughDefinition(model, fromKey, toKey);
    }

    private static TraitDefinition? Trait(DocEntry entry, ConditionParser parser)
    {
        var reader = parser.Reader;
        var what = Messages.TraitDefinitionWhat(entry.Key);
        if (reader.Mapping(entry.Value, what) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, TraitKeys, what);
        var model = RequiredName(mapping, "model", what, reader);
        var path = reader.Required(mapping, "from", what) is { } fromEntry ? parser.RelationPath(fromEntry.Value, "from") : null;
        var kind = reader.Required(mapping, "kind", what) is { } kindEntry ? Choice(kindEntry.Value, "kind", TraitKinds, reader) : null;
        var ok = true;
        var column = OptionalName(mapping, "column", reader, ref ok);
        var description = OptionalText(mapping, "description", reader, ref ok);
        var events = ImmutableArray<string>.Empty;
        if (mapping.Find("event") is { } eventEntry)
        {
            if (reader.Names(eventEntry.Value, "event") is { } names) events = names;
            else ok = false;
        }
        var where = parser.Where(mapping, out var whereOk);
        var window = parser.Window(mapping);
        if (model is null || path is null || kind is null || !ok || !whereOk || window is null) return null;
        var trait = new TraitDefinition(entry.Key, model, kind.Value, path.Value, column, events, where, window, description, mapping.Location);
        return SourceMap.Attach(trait, mapping);
    }

    private static T? Choice<T>(DocNode node, string what, FrozenDictionary<string, T> choices, NodeReader reader) where T : struct
    {
        if (reader.Text(node, what) is not { } text) return null;
        if (choices.TryGetValue(text, out var value)) return value;
        var valid = choices.Keys.Order(StringComparer.Ordinal).ToList();
        var nearest = NameSuggester.Nearest(text, valid);
        reader.Error(DiagnosticCodes.InvalidValue, Messages.InvalidChoice(what, text, valid), node.Location, nearest);
        return null;
    }

    private static string? RequiredName(DocMapping mapping, string key, string what, NodeReader reader) =>
        reader.Required(mapping, key, what) is { } entry ? reader.Name(entry.Value, key) : null;

    private static string? OptionalName(DocMapping mapping, string key, NodeReader reader, ref bool ok)
    {
        if (mapping.Find(key) is not { } entry) return null;
        var name = reader.Name(entry.Value, key);
        ok &= name is not null;
        return name;
    }

    private static string? OptionalText(DocMapping mapping, string key, NodeReader reader, ref bool ok)
    {
        if (mapping.Find(key) is not { } entry) return null;
        var text = reader.Text(entry.Value, key);
        ok &= text is not null;
        return text;
    }
}
