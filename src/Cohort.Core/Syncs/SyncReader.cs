using System.Collections.Frozen;
using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Time;

namespace Cohort.Core.Syncs;

/// <summary>Reads sync files (docs/sync.md) into <see cref="SyncDefinition"/>s, unbound: names are checked by <see cref="SyncValidator"/>.</summary>
public static class SyncReader
{
    private static readonly FrozenSet<string> SyncKeys =
        ["name", "description", "audience", "model", "filter", "destination", "mode", "on_exit", "key", "fields", "identifiers", "exclude", "split_group", "schedule"];

    private static readonly FrozenSet<string> SourceKeys = ["column", "trait"];
    private static readonly FrozenSet<string> ScheduleKeys = ["every", "cron", "time_zone"];

    internal static readonly IReadOnlyDictionary<string, SyncMode> Modes = new Dictionary<string, SyncMode>(StringComparer.Ordinal)
    {
        ["membership"] = SyncMode.Membership,
        ["upsert"] = SyncMode.Upsert,
        ["update"] = SyncMode.Update,
        ["insert"] = SyncMode.Insert,
        ["mirror"] = SyncMode.Mirror,
    };

    internal static readonly IReadOnlyDictionary<string, ExitAction> ExitActions = new Dictionary<string, ExitAction>(StringComparer.Ordinal)
    {
        ["keep"] = ExitAction.Keep,
        ["delete"] = ExitAction.Delete,
        ["archive"] = ExitAction.Archive,
    };

    public static SyncDefinition? ReadFile(string path, DiagnosticBag diagnostics, string? displayName = null)
    {
        var root = DocumentReader.ReadFile(path, diagnostics, displayName);
        return root is null ? null : Read(root, Path.GetFileNameWithoutExtension(path), diagnostics);
    }

    /// <summary>Reads a sync held in memory; the format and default name come from <paramref name="fileName"/>.</summary>
    public static SyncDefinition? ReadText(string text, string fileName, DiagnosticBag diagnostics)
    {
        var format = DocumentReader.FormatOf(fileName) ?? DocumentFormat.Yaml;
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        return root is null ? null : Read(root, Path.GetFileNameWithoutExtension(fileName), diagnostics);
    }

    /// <summary>Reads a sync document; null when a required part cannot be read (every problem is reported).</summary>
    public static SyncDefinition? Read(DocNode root, string defaultName, DiagnosticBag diagnostics)
    {
        var reader = new NodeReader(diagnostics);
        if (reader.Mapping(root, Messages.SyncWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, SyncKeys, Messages.SyncWhat);
        var ok = true;

        var name = defaultName;
        if (mapping.Find("name") is { } nameEntry)
        {
            if (reader.Name(nameEntry.Value, "name") is { } written) name = written;
            else ok = false;
        }
        var description = OptionalText(mapping, "description", reader, ref ok);

        SyncSource? source = null;
        var sourceEntry = reader.OneOf(mapping, ["audience", "model"], Messages.SyncWhat, out var conflict);
        if (conflict) ok = false;
        else if (sourceEntry is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, Messages.SyncNeedsSource, mapping.Location);
            ok = false;
        }
        else if (reader.Name(sourceEntry.Value, sourceEntry.Key) is { } sourceName)
        {
            if (sourceEntry.Key == "audience")
            {
                if (mapping.Find("filter") is { } stray)
                {
                    reader.Error(DiagnosticCodes.ConflictingKeys, Messages.FilterNeedsModel, stray.KeyLocation);
                    ok = false;
                }
                source = new SyncSource.Audience(sourceName);
            }
            else
            {
                Condition? filter = null;
                if (mapping.Find("filter") is { } filterEntry)
                {
                    filter = new ConditionParser(reader).Condition(filterEntry.Value);
                    ok &= filter is not null;
                }
                source = new SyncSource.Model(sourceName, filter);
            }
        }
        else ok = false;

        var destination = reader.Required(mapping, "destination", Messages.SyncWhat) is { } destinationEntry
            ? reader.Name(destinationEntry.Value, "destination")
            : null;
        var mode = reader.Required(mapping, "mode", Messages.SyncWhat) is { } modeEntry ? Choice(modeEntry.Value, "mode", Modes, reader) : null;
        var onExit = ExitAction.Keep;
        if (mapping.Find("on_exit") is { } exitEntry)
        {
            if (Choice(exitEntry.Value, "on_exit", ExitActions, reader) is { } exit) onExit = exit;
            else ok = false;
        }
        var key = OptionalText(mapping, "key", reader, ref ok);
        var fields = Fields(mapping, reader, ref ok);
        var identifiers = Identifiers(mapping, reader, ref ok);
        var exclusions = ImmutableArray<string>.Empty;
        if (mapping.Find("exclude") is { } excludeEntry && excludeEntry.Value is not DocSequence { Items.Count: 0 })
        {
            if (reader.Names(excludeEntry.Value, "exclude") is { } names) exclusions = names;
            else ok = false;
        }
        var splitGroup = OptionalText(mapping, "split_group", reader, ref ok);
        SyncSchedule? schedule = null;
        if (mapping.Find("schedule") is { } scheduleEntry)
        {
            schedule = Schedule(scheduleEntry.Value, reader);
            ok &= schedule is not null;
        }

        if (!ok || source is null || destination is null || mode is null) return null;
        var sync = new SyncDefinition(name, source, destination, mode.Value, onExit, key, fields, identifiers, exclusions, splitGroup,
            schedule, description, mapping.Location);
        return SourceMap.Attach(sync, mapping);
    }

    private static string? OptionalText(DocMapping mapping, string key, NodeReader reader, ref bool ok)
    {
        if (mapping.Find(key) is not { } entry) return null;
        var text = reader.Name(entry.Value, key);
        ok &= text is not null;
        return text;
    }

    private static T? Choice<T>(DocNode node, string what, IReadOnlyDictionary<string, T> choices, NodeReader reader) where T : struct
    {
        if (reader.Name(node, what) is not { } text) return null;
        if (choices.TryGetValue(text, out var value)) return value;
        reader.Error(DiagnosticCodes.InvalidValue, Messages.InvalidChoice(what, text, choices.Keys), node.Location, NameSuggester.Nearest(text, choices.Keys));
        return null;
    }

    private static ImmutableArray<FieldMapping> Fields(DocMapping mapping, NodeReader reader, ref bool ok)
    {
        if (mapping.Find("fields") is not { } entry) return [];
        var result = ImmutableArray.CreateBuilder<FieldMapping>();
        if (entry.Value is DocSequence list)
        {
            // fields: [email, country] sends each column (or trait) under its own name.
            foreach (var item in list.Items)
            {
                if (reader.Name(item, "fields") is { } name) result.Add(new FieldMapping(name, new ValueSource(ValueSourceKind.Auto, name)));
                else ok = false;
            }
            return result.ToImmutable();
        }
        if (reader.Mapping(entry.Value, Messages.FieldsWhat) is not { } fields)
        {
            ok = false;
            return [];
        }
        foreach (var field in fields.Entries)
        {
            if (Source(field.Value, field.Key, reader) is { } source) result.Add(new FieldMapping(field.Key, source));
            else ok = false;
        }
        return result.ToImmutable();
    }

    private static ImmutableArray<IdentifierMapping> Identifiers(DocMapping mapping, NodeReader reader, ref bool ok)
    {
        if (mapping.Find("identifiers") is not { } entry) return [];
        if (reader.Mapping(entry.Value, Messages.IdentifiersWhat) is not { } identifiers)
        {
            ok = false;
            return [];
        }
        var result = ImmutableArray.CreateBuilder<IdentifierMapping>();
        foreach (var identifier in identifiers.Entries)
        {
            if (Source(identifier.Value, identifier.Key, reader) is { } source) result.Add(new IdentifierMapping(identifier.Key, source));
            else ok = false;
        }
        return result.ToImmutable();
    }

    /// <summary>A plain name (a column, or else a trait), or <c>{column: name}</c> / <c>{trait: name}</c>.</summary>
    private static ValueSource? Source(DocNode node, string what, NodeReader reader)
    {
        if (node is DocScalar)
            return reader.Name(node, what) is { } name ? new ValueSource(ValueSourceKind.Auto, name) : null;
        if (reader.Mapping(node, Messages.SourceWhat(what)) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, SourceKeys, Messages.SourceWhat(what));
        var entry = reader.OneOf(mapping, ["column", "trait"], Messages.SourceWhat(what), out var conflict);
        if (conflict) return null;
        if (entry is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, Messages.SourceNeedsColumnOrTrait(what), mapping.Location);
            return null;
        }
        return reader.Name(entry.Value, entry.Key) is { } sourceName
            ? new ValueSource(entry.Key == "trait" ? ValueSourceKind.Trait : ValueSourceKind.Column, sourceName)
            : null;
    }

    private static SyncSchedule? Schedule(DocNode node, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.ScheduleWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, ScheduleKeys, Messages.ScheduleWhat);
        var entry = reader.OneOf(mapping, ["every", "cron"], Messages.ScheduleWhat, out var conflict);
        if (conflict) return null;
        if (entry is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, Messages.ScheduleNeedsTiming, mapping.Location);
            return null;
        }
        if (reader.Name(entry.Value, entry.Key) is not { } text) return null;
        string? timeZone = null;
        if (mapping.Find("time_zone") is { } zoneEntry)
        {
            if (entry.Key != "cron")
            {
                reader.Error(DiagnosticCodes.ConflictingKeys, Messages.TimeZoneNeedsCron, zoneEntry.KeyLocation);
                return null;
            }
            if (reader.Name(zoneEntry.Value, "time_zone") is not { } zoneName
                || TimeZones.Find(zoneName, zoneEntry.Value.Location, reader.Diagnostics) is null) return null;
            timeZone = zoneName;
        }
        if (entry.Key == "cron") return new SyncSchedule(null, text, timeZone);
        return new ConditionParser(reader).Duration(entry.Value) is { } every ? new SyncSchedule(every.ToString(), null) : null;
    }
}
