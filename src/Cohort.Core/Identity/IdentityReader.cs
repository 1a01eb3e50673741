using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Identity;

/// <summary>
/// Reads <c>identity.yaml</c> (docs/identity.md) and checks it against the schema: every problem is a located
/// diagnostic (unknown identifier types, columns a model does not have, patterns that do not compile, limits
/// below 1), with the nearest valid names as suggestions. Table sources are checked against the warehouse when
/// identity resolution runs.
/// </summary>
public static class IdentityReader
{
    private static readonly FrozenSet<string> RootKeys = ["identifiers", "sources", "priority", "blocked", "blocked_patterns", "max_profile_size", "profile", "matching"];
    private static readonly FrozenSet<string> AttributeKeys = ["rule", "from"];

    private static readonly IReadOnlyDictionary<string, Survivorship> Rules = new Dictionary<string, Survivorship>(StringComparer.Ordinal)
    {
        ["most_recent"] = Survivorship.MostRecent,
        ["most_frequent"] = Survivorship.MostFrequent,
        ["first_non_null"] = Survivorship.FirstNonNull,
    };
    private static readonly FrozenSet<string> IdentifierKeys = ["type", "limit", "blocked", "blocked_patterns", "gmail", "strip_plus", "default_region"];
    private static readonly FrozenSet<string> SourceKeys = ["model", "table", "key", "columns", "timestamp"];

    private static readonly IReadOnlyDictionary<string, IdentifierType> Types =
        IdentityRules.TypeNames.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IdentityRules? ReadFile(string path, SchemaDefinition? schema, DiagnosticBag diagnostics, string? displayName = null)
    {
        var root = DocumentReader.ReadFile(path, diagnostics, displayName);
        return root is null ? null : Read(root, schema, diagnostics);
    }

    public static IdentityRules? ReadText(string text, SchemaDefinition? schema, DiagnosticBag diagnostics, string fileName = IdentityRules.FileName)
    {
        var root = DocumentReader.ReadText(text, DocumentReader.FormatOf(fileName) ?? DocumentFormat.Yaml, fileName, diagnostics);
        return root is null ? null : Read(root, schema, diagnostics);
    }

    /// <summary>Reads the rules; null when they cannot be used (every problem is reported).</summary>
    public static IdentityRules? Read(DocNode root, SchemaDefinition? schema, DiagnosticBag diagnostics)
    {
        var reader = new NodeReader(diagnostics);
        var errorsBefore = diagnostics.Items.Count(d => d.IsError);
        if (reader.Mapping(root, IdentityMessages.RulesWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, RootKeys, IdentityMessages.RulesWhat);

        var identifiers = new List<IdentifierDefinition>();
        var declared = new List<string>();
        if (reader.Required(mapping, "identifiers", IdentityMessages.RulesWhat) is { } idEntry && reader.Mapping(idEntry.Value, "'identifiers'") is { } idMap)
        {
            foreach (var entry in idMap.Entries)
            {
                declared.Add(entry.Key);
                if (ReadIdentifier(entry, reader) is { } identifier) identifiers.Add(identifier);
            }
            if (idMap.Entries.Count == 0) reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.NoIdentifiers, idMap.Location);
        }
        // Every declared name counts as known, so an identifier with a bad option is reported once, not at every use.
        var names = declared;

        var priority = new List<string>();
        if (mapping.Find("priority") is { } priorityEntry && reader.Sequence(priorityEntry.Value, "'priority'") is { } list)
        {
            foreach (var item in list.Items)
            {
                if (reader.Name(item, "an identifier in 'priority'") is not { } name) continue;
                if (!names.Contains(name)) reader.Error(DiagnosticCodes.UnknownIdentifierType, IdentityMessages.UnknownIdentifier(name, "in 'priority'"), item.Location.WithPath("priority"), NameSuggester.Nearest(name, names));
                else if (priority.Contains(name)) reader.Error(DiagnosticCodes.DuplicateName, IdentityMessages.DuplicatePriority(name), item.Location.WithPath("priority"));
                else priority.Add(name);
            }
        }

        var blocked = mapping.Find("blocked") is { } blockedEntry ? Texts(blockedEntry.Value, "'blocked'", reader) : [];
        var patterns = mapping.Find("blocked_patterns") is { } patternsEntry ? Patterns(patternsEntry.Value, reader) : [];

        var maxProfile = IdentityRules.DefaultMaxProfileSize;
        if (mapping.Find("max_profile_size") is { } sizeEntry && reader.Integer(sizeEntry.Value, "'max_profile_size'") is { } size)
        {
            if (size < 2) reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.MaxProfileBelowTwo(size), sizeEntry.Value.Location.WithPath("max_profile_size"));
            else maxProfile = (int)Math.Min(size, int.MaxValue);
        }

        var sources = new List<IdentitySource>();
        if (reader.Required(mapping, "sources", IdentityMessages.RulesWhat) is { } sourcesEntry && reader.Mapping(sourcesEntry.Value, "'sources'") is { } sourcesMap)
        {
            foreach (var entry in sourcesMap.Entries)
            {
                if (ReadSource(entry, names, schema, reader) is { } source) sources.Add(source);
            }
            if (sourcesMap.Entries.Count == 0) reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.NoSources, sourcesMap.Location);
        }

        var profile = new List<ProfileAttribute>();
        if (mapping.Find("profile") is { } profileEntry && reader.Mapping(profileEntry.Value, "'profile'") is { } profileMap)
        {
            var sourceNames = sourcesNames(mapping);
            foreach (var entry in profileMap.Entries)
            {
                if (ReadAttribute(entry, sources, sourceNames, schema, reader) is { } attribute) profile.Add(attribute);
            }
        }

        MatchingRules? matching = null;
        if (mapping.Find("matching") is { } matchingEntry && matchingEntry.Value is not DocScalar { IsNull: true })
            matching = MatchingReader.Read(matchingEntry, sources, sourcesNames(mapping), schema, reader);

        if (diagnostics.Items.Count(d => d.IsError) > errorsBefore) return null;
        return new IdentityRules([.. identifiers], [.. sources], [.. priority], blocked, patterns, maxProfile, mapping.Location) { Profile = [.. profile], Matching = matching };

        static List<string> sourcesNames(DocMapping root) =>
            root.Find("sources")?.Value is DocMapping m ? [.. m.Entries.Select(e => e.Key)] : [];
    }

    private static ProfileAttribute? ReadAttribute(DocEntry entry, List<IdentitySource> sources, List<string> sourceNames, SchemaDefinition? schema, NodeReader reader)
    {
        var path = $"profile.{entry.Key}";
        if (reader.Mapping(entry.Value, "a profile attribute") is not { } map) return null;
        reader.RejectUnknownKeys(map, AttributeKeys, "a profile attribute");
        var ok = true;
        var rule = Survivorship.FirstNonNull;
        if (map.Find("rule") is { } ruleEntry && reader.Name(ruleEntry.Value, "'rule'") is { } ruleName)
        {
            if (Rules.TryGetValue(ruleName, out var r)) rule = r;
            else
            {
                reader.Error(DiagnosticCodes.InvalidValue, $"Profile attribute '{entry.Key}' has rule '{ruleName}'; expected one of {string.Join(", ", Rules.Keys)}.",
                    ruleEntry.Value.Location.WithPath(path + ".rule"), NameSuggester.Nearest(ruleName, Rules.Keys));
                ok = false;
            }
        }
        var from = new List<(string, string)>();
        if (reader.Required(map, "from", "a profile attribute") is { } fromEntry && reader.Names(fromEntry.Value, "'from'") is { } items)
        {
            foreach (var item in items)
            {
                var dot = item.IndexOf('.', StringComparison.Ordinal);
                var sourceName = dot > 0 ? item[..dot] : item;
                var column = dot > 0 ? item[(dot + 1)..] : "";
                if (dot <= 0 || column.Length == 0)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, $"'{item}' should be written source.column (e.g. customers.email).", fromEntry.Value.Location.WithPath(path + ".from"));
                    ok = false;
                    continue;
                }
                if (!sourceNames.Contains(sourceName))
                {
                    reader.Error(DiagnosticCodes.UnknownModel, $"Profile attribute '{entry.Key}' reads source '{sourceName}', which is not under 'sources'.", fromEntry.Value.Location.WithPath(path + ".from"),
                        NameSuggester.Nearest(sourceName, sourceNames));
                    ok = false;
                    continue;
                }
                var source = sources.FirstOrDefault(s => s.Name == sourceName);
                if (source?.Model is { } modelName && schema?.FindModel(modelName) is { } model && model.FindColumn(column) is null)
                {
                    reader.Error(DiagnosticCodes.UnknownColumn, $"Profile attribute '{entry.Key}' reads '{item}', but model '{modelName}' has no column '{column}'.", fromEntry.Value.Location.WithPath(path + ".from"),
                        NameSuggester.Nearest(column, model.Columns.Select(c => c.Name)));
                    ok = false;
                    continue;
                }
                if (rule == Survivorship.MostRecent && source is { Timestamp: null })
                {
                    reader.Error(DiagnosticCodes.MissingKey, $"Profile attribute '{entry.Key}' keeps the most recent value, but source '{sourceName}' has no 'timestamp' to tell which is recent.", fromEntry.Value.Location.WithPath(path + ".from"));
                    ok = false;
                    continue;
                }
                from.Add((sourceName, column));
            }
        }
        else ok = false;
        return ok ? new ProfileAttribute(entry.Key, rule, [.. from], entry.KeyLocation.WithPath(path)) : null;
    }

    private static IdentifierDefinition? ReadIdentifier(DocEntry entry, NodeReader reader)
    {
        var name = entry.Key;
        var path = $"identifiers.{name}";
        var ok = true;
        DocMapping? map = null;
        if (entry.Value is DocScalar { IsNull: true }) map = null;
        else if (entry.Value is DocScalar scalar)
        {
            // Shorthand: `email: email` names the type.
            map = new DocMapping(scalar.Location, [new DocEntry("type", scalar.Location, scalar)]);
        }
        else if (reader.Mapping(entry.Value, IdentityMessages.IdentifierWhat) is { } m) map = m;
        else return null;

        if (map is not null) reader.RejectUnknownKeys(map, IdentifierKeys, IdentityMessages.IdentifierWhat);
        IdentifierType? type = null;
        if (map?.Find("type") is { } typeEntry)
        {
            if (reader.Name(typeEntry.Value, "'type'") is { } typeName)
            {
                if (Types.TryGetValue(typeName, out var t)) type = t;
                else
                {
                    reader.Error(DiagnosticCodes.UnknownIdentifierType, IdentityMessages.UnknownType(typeName, name), typeEntry.Value.Location.WithPath(path + ".type"), NameSuggester.Nearest(typeName, Types.Keys));
                    ok = false;
                }
            }
            else ok = false;
        }
        else if (Types.TryGetValue(name, out var byName)) type = byName;
        else
        {
            reader.Error(DiagnosticCodes.MissingKey, IdentityMessages.TypeNeeded(name), entry.KeyLocation.WithPath(path), NameSuggester.Nearest(name, Types.Keys));
            ok = false;
        }

        int? limit = null;
        if (map?.Find("limit") is { } limitEntry)
        {
            if (reader.Integer(limitEntry.Value, "'limit'") is { } l)
            {
                if (l < 1)
                {
                    reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.LimitBelowOne(name, l), limitEntry.Value.Location.WithPath(path + ".limit"));
                    ok = false;
                }
                else limit = (int)Math.Min(l, int.MaxValue);
            }
            else ok = false;
        }
        var blocked = map?.Find("blocked") is { } b ? Texts(b.Value, "'blocked'", reader) : [];
        var patterns = map?.Find("blocked_patterns") is { } p ? Patterns(p.Value, reader) : [];
        var gmail = Flag(map, "gmail", reader, ref ok);
        var stripPlus = Flag(map, "strip_plus", reader, ref ok);
        foreach (var option in new[] { "gmail", "strip_plus" })
        {
            if (map?.Find(option) is { } o && type is not null && type != IdentifierType.Email)
            {
                reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.EmailOptionOnlyForEmail(option, name), o.KeyLocation.WithPath($"{path}.{option}"));
                ok = false;
            }
        }
        string? region = null;
        if (map?.Find("default_region") is { } regionEntry)
        {
            region = reader.Name(regionEntry.Value, "'default_region'");
            if (type is not null && type != IdentifierType.Phone)
            {
                reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.RegionOnlyForPhone(name), regionEntry.KeyLocation.WithPath(path + ".default_region"));
                ok = false;
            }
            else if (region is not null && (region.Length != 2 || !region.All(char.IsAsciiLetterUpper)))
            {
                reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.BadRegion(region), regionEntry.Value.Location.WithPath(path + ".default_region"));
                ok = false;
            }
        }
        if (!ok || type is null) return null;
        return new IdentifierDefinition(name, type.Value, limit, blocked, patterns, gmail, stripPlus,
            type == IdentifierType.Phone ? region ?? "US" : null, entry.KeyLocation.WithPath(path));
    }

    private static IdentitySource? ReadSource(DocEntry entry, List<string> identifiers, SchemaDefinition? schema, NodeReader reader)
    {
        var name = entry.Key;
        var path = $"sources.{name}";
        if (reader.Mapping(entry.Value, IdentityMessages.SourceWhat) is not { } map) return null;
        reader.RejectUnknownKeys(map, SourceKeys, IdentityMessages.SourceWhat);
        var ok = true;
        var from = reader.OneOf(map, ["model", "table"], IdentityMessages.SourceWhat, out var conflict);
        if (conflict) return null;
        if (from is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, IdentityMessages.SourceNeedsModelOrTable(name), entry.KeyLocation.WithPath(path));
            return null;
        }
        if (reader.Name(from.Value, from.Key) is not { } fromName) return null;

        ModelDefinition? model = null;
        string table = fromName;
        if (from.Key == "model" && schema is not null)
        {
            model = schema.FindModel(fromName);
            if (model is null)
            {
                reader.Error(DiagnosticCodes.UnknownModel, IdentityMessages.UnknownModel(fromName, name), from.Value.Location.WithPath(path + ".model"), NameSuggester.Nearest(fromName, schema.Models.Select(m => m.Name)));
                ok = false;
            }
            else if (model.Source is ModelSource.Table t) table = t.ToString();
            else table = $"({((ModelSource.Query)model.Source).Sql})";
        }
        var what = model is null ? $"table '{table}'" : $"model '{model.Name}'";
        var columnNames = model?.Columns.Select(c => c.Name).ToList();

        string? key = null;
        if (map.Find("key") is { } keyEntry)
        {
            key = reader.Name(keyEntry.Value, "'key'");
            if (key is not null && columnNames is not null && !columnNames.Contains(key))
            {
                reader.Error(DiagnosticCodes.UnknownColumn, IdentityMessages.UnknownKey(name, what, key), keyEntry.Value.Location.WithPath(path + ".key"), NameSuggester.Nearest(key, columnNames));
                ok = false;
            }
        }
        else if (model is not null)
        {
            key = model.PrimaryKey;
            if (key is null)
            {
                reader.Error(DiagnosticCodes.MissingKey, IdentityMessages.ModelNeedsKey(name, model.Name), entry.KeyLocation.WithPath(path));
                ok = false;
            }
        }
        else if (from.Key == "table")
        {
            reader.Error(DiagnosticCodes.MissingKey, IdentityMessages.TableNeedsKey(name), entry.KeyLocation.WithPath(path));
            ok = false;
        }

        string? timestamp = null;
        if (map.Find("timestamp") is { } tsEntry)
        {
            timestamp = reader.Name(tsEntry.Value, "'timestamp'");
            if (timestamp is not null && columnNames is not null && !columnNames.Contains(timestamp))
            {
                reader.Error(DiagnosticCodes.UnknownColumn, IdentityMessages.UnknownColumn(name, what, timestamp), tsEntry.Value.Location.WithPath(path + ".timestamp"), NameSuggester.Nearest(timestamp, columnNames));
                ok = false;
            }
        }
        else timestamp = model?.TimestampColumn;

        var columns = new List<IdentityColumn>();
        if (reader.Required(map, "columns", IdentityMessages.SourceWhat) is { } columnsEntry && reader.Mapping(columnsEntry.Value, "'columns'") is { } columnsMap)
        {
            foreach (var column in columnsMap.Entries)
            {
                var columnPath = $"{path}.columns.{column.Key}";
                if (columnNames is not null && !columnNames.Contains(column.Key))
                {
                    reader.Error(DiagnosticCodes.UnknownColumn, IdentityMessages.UnknownColumn(name, what, column.Key), column.KeyLocation.WithPath(columnPath), NameSuggester.Nearest(column.Key, columnNames));
                    ok = false;
                }
                if (reader.Name(column.Value, "an identifier name") is not { } identifier) { ok = false; continue; }
                if (!identifiers.Contains(identifier))
                {
                    reader.Error(DiagnosticCodes.UnknownIdentifierType, IdentityMessages.UnknownIdentifier(identifier, $"for column '{column.Key}' of source '{name}'"), column.Value.Location.WithPath(columnPath),
                        NameSuggester.Nearest(identifier, identifiers));
                    ok = false;
                    continue;
                }
                columns.Add(new IdentityColumn(column.Key, identifier, column.KeyLocation.WithPath(columnPath)));
            }
            if (columnsMap.Entries.Count == 0)
            {
                reader.Error(DiagnosticCodes.InvalidValue, IdentityMessages.NoColumns(name), columnsMap.Location.WithPath(path + ".columns"));
                ok = false;
            }
        }
        else ok = false;

        if (!ok || key is null) return null;
        return new IdentitySource(name, model?.Name, table, key, [.. columns], timestamp, entry.KeyLocation.WithPath(path));
    }

    private static bool Flag(DocMapping? map, string key, NodeReader reader, ref bool ok)
    {
        if (map?.Find(key) is not { } entry) return false;
        if (reader.Boolean(entry.Value, $"'{key}'") is { } value) return value;
        ok = false;
        return false;
    }

    private static ImmutableArray<string> Texts(DocNode node, string what, NodeReader reader)
    {
        if (node is DocScalar { IsNull: false } single) return [single.Text];
        if (reader.Sequence(node, what) is not { } list) return [];
        var result = new List<string>();
        foreach (var item in list.Items)
        {
            // `null` written unquoted in a blocked list means the text "null", which sources do write.
            if (item is DocScalar scalar) result.Add(scalar.Text);
            else reader.Text(item, what);
        }
        return [.. result];
    }

    private static ImmutableArray<string> Patterns(DocNode node, NodeReader reader)
    {
        var patterns = Texts(node, "'blocked_patterns'", reader);
        var list = node as DocSequence;
        for (var i = 0; i < patterns.Length; i++)
        {
            var location = list is not null && i < list.Items.Count ? list.Items[i].Location : node.Location;
            try
            {
                _ = new Regex(patterns[i], RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                reader.Error(DiagnosticCodes.InvalidPattern, IdentityMessages.BadPattern(patterns[i], e.Message), location);
            }
        }
        return patterns;
    }
}
