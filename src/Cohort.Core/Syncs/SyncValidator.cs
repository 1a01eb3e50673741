using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Syncs;

/// <summary>
/// Checks syncs against the schema, the audiences and the destinations' names, and returns bound copies (plain
/// names resolved to columns or traits, filters bound). What depends on a destination's type (its settings, the
/// operations and identifiers it takes) is checked by the sync engine against the destination catalog.
/// </summary>
public static partial class SyncValidator
{
    /// <summary>Sync names become part of state table names: lowercase letters, digits and underscores.</summary>
    public const int MaxNameLength = 40;

    public static ImmutableArray<SyncDefinition> ValidateAll(
        IReadOnlyList<SyncDefinition> syncs,
        IReadOnlyCollection<DestinationDefinition> destinations,
        SchemaIndex schema,
        IReadOnlyCollection<AudienceDefinition> audiences,
        DiagnosticBag diagnostics)
    {
        var bound = ImmutableArray.CreateBuilder<SyncDefinition>(syncs.Count);
        var seen = new Dictionary<string, SyncDefinition>(StringComparer.Ordinal);
        foreach (var sync in syncs)
        {
            if (seen.TryGetValue(sync.Name, out var first))
                diagnostics.Error(DiagnosticCodes.DuplicateSyncOrDestination, Messages.DuplicateSync(sync.Name, first.Location?.File), Locate(sync, "name"));
            else seen.Add(sync.Name, sync);
            bound.Add(Validate(sync, destinations, schema, audiences, diagnostics));
        }
        return bound.MoveToImmutable();
    }

    /// <summary>Reports destinations defined twice (across files and the project file).</summary>
    public static void CheckDestinations(IReadOnlyList<DestinationDefinition> destinations, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, DestinationDefinition>(StringComparer.Ordinal);
        foreach (var destination in destinations)
        {
            if (seen.TryGetValue(destination.Name, out var first))
                diagnostics.Error(DiagnosticCodes.DuplicateSyncOrDestination, Messages.DuplicateDestination(destination.Name, first.Location?.File),
                    SourceMap.Locate(destination, destination.Location, "name"));
            else seen.Add(destination.Name, destination);
        }
    }

    public static SyncDefinition Validate(
        SyncDefinition sync,
        IReadOnlyCollection<DestinationDefinition> destinations,
        SchemaIndex schema,
        IReadOnlyCollection<AudienceDefinition> audiences,
        DiagnosticBag diagnostics)
    {
        if (!SyncName().IsMatch(sync.Name) || sync.Name.Length > MaxNameLength)
            diagnostics.Error(DiagnosticCodes.InvalidSyncName, Messages.InvalidSyncName(sync.Name, MaxNameLength), Locate(sync, "name"));

        var (model, source, splits) = Source(sync, schema, audiences, diagnostics);

        if (!destinations.Any(d => d.Name == sync.Destination))
            diagnostics.Error(DiagnosticCodes.UnknownDestination, Messages.UnknownDestination(sync.Destination), Locate(sync, "destination"),
                NameSuggester.Nearest(sync.Destination, destinations.Select(d => d.Name)));

        if ((SyncWritten(sync, "on_exit") || sync.OnExit != ExitAction.Keep) && sync.Mode is SyncMode.Membership or SyncMode.Mirror && sync.OnExit != ExitAction.Delete)
            diagnostics.Error(DiagnosticCodes.InvalidValue, Messages.ExitFixedByMode(sync.Mode), Locate(sync, "on_exit"));

        var fields = sync.Fields;
        var identifiers = sync.Identifiers;
        if (model is not null)
        {
            if (sync.Key is { } key)
            {
                var column = model.FindColumn(key);
                if (column is null)
                    diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(model.Name, key), Locate(sync, "key"),
                        NameSuggester.Nearest(key, model.Columns.Select(c => c.Name)));
                else if (column.Type.IsArray)
                    diagnostics.Error(DiagnosticCodes.InvalidSyncKey, Messages.ArrayKey(key, column.Type), Locate(sync, "key"));
            }
            fields = [.. sync.Fields.Select((f, i) => f with { Source = Resolve(sync, f.Source, model, schema, diagnostics, "fields", FieldKey(sync, i, f.Field)) })];
            identifiers = [.. sync.Identifiers.Select(m => m with { Source = Resolve(sync, m.Source, model, schema, diagnostics, "identifiers", m.Type) })];
        }

        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in sync.Fields)
        {
            if (!fieldNames.Add(field.Field))
                diagnostics.Error(DiagnosticCodes.InvalidMapping, Messages.FieldMappedTwice(field.Field), Locate(sync, "fields"));
        }
        foreach (var identifier in sync.Identifiers)
        {
            if (!IdentifierNames.All.Contains(identifier.Type))
                diagnostics.Error(DiagnosticCodes.UnknownIdentifierType, Messages.UnknownIdentifierType(identifier.Type), LocateKey(sync, "identifiers", identifier.Type),
                    NameSuggester.Nearest(identifier.Type, IdentifierNames.All));
        }

        for (var i = 0; i < sync.Exclusions.Length; i++)
        {
            var name = sync.Exclusions[i];
            var excluded = audiences.FirstOrDefault(a => a.Name == name);
            if (excluded is null)
                diagnostics.Error(DiagnosticCodes.UnknownAudience, Messages.UnknownAudience(name), Locate(sync, "exclude", $"[{i}]"),
                    NameSuggester.Nearest(name, audiences.Select(a => a.Name)));
            else if (model is not null && excluded.Model != model.Name)
                diagnostics.Error(DiagnosticCodes.AudienceModelMismatch, Messages.AudienceOverOtherModel(name, excluded.Model, model.Name), Locate(sync, "exclude", $"[{i}]"));
        }

        if (sync.SplitGroup is { } group)
        {
            if (sync.Source is not SyncSource.Audience || splits is null)
            {
                if (sync.Source is not SyncSource.Audience || source is not null)
                    diagnostics.Error(DiagnosticCodes.InvalidSplitGroup, Messages.SplitGroupNeedsSplits(sync.Source.Describe()), Locate(sync, "split_group"));
            }
            else if (!splits.Groups.Any(g => g.Name == group))
                diagnostics.Error(DiagnosticCodes.InvalidSplitGroup, Messages.UnknownSplitGroup(group, ((SyncSource.Audience)sync.Source).Name), Locate(sync, "split_group"),
                    NameSuggester.Nearest(group, splits.Groups.Select(g => g.Name)));
        }

        return SourceMap.Carry(sync, sync with { Source = source ?? sync.Source, Fields = fields, Identifiers = identifiers });
    }

    private static (ModelDefinition? Model, SyncSource? Bound, SplitDefinition? Splits) Source(
        SyncDefinition sync, SchemaIndex schema, IReadOnlyCollection<AudienceDefinition> audiences, DiagnosticBag diagnostics)
    {
        switch (sync.Source)
        {
            case SyncSource.Audience a:
                var audience = audiences.FirstOrDefault(x => x.Name == a.Name);
                if (audience is null)
                {
                    diagnostics.Error(DiagnosticCodes.UnknownAudience, Messages.UnknownAudience(a.Name), Locate(sync, "audience"),
                        NameSuggester.Nearest(a.Name, audiences.Select(x => x.Name)));
                    return (null, null, null);
                }
                return (schema.Schema.FindModel(audience.Model) is { Kind: ModelKind.Parent } parent ? parent : null, a, audience.Splits);
            case SyncSource.Model m:
                var model = schema.Schema.FindModel(m.Name);
                var parents = schema.Schema.Models.Where(x => x.Kind == ModelKind.Parent).Select(x => x.Name).ToList();
                if (model is null)
                {
                    diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.UnknownModel(m.Name), Locate(sync, "model"), NameSuggester.Nearest(m.Name, parents));
                    return (null, null, null);
                }
                if (model.Kind != ModelKind.Parent)
                {
                    diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.SyncOverNonParent(model.Name, model.Kind), Locate(sync, "model"), parents);
                    return (null, null, null);
                }
                var filter = m.Filter is null ? null : AudienceValidator.ValidateCondition(m.Filter, model, schema, audiences, diagnostics);
                return (model, m with { Filter = filter }, null);
            default:
                throw new InvalidOperationException($"Unknown sync source {sync.Source.GetType().Name}.");
        }
    }

    private static ValueSource Resolve(
        SyncDefinition sync, ValueSource source, ModelDefinition model, SchemaIndex schema, DiagnosticBag diagnostics, string section, string key)
    {
        var column = model.FindColumn(source.Name);
        var trait = schema.Schema.FindTrait(source.Name);
        var traitFits = trait is not null && trait.Model == model.Name;
        switch (source.Kind)
        {
            case ValueSourceKind.Column when column is not null:
                return source;
            case ValueSourceKind.Trait when traitFits:
                return source;
            case ValueSourceKind.Auto when column is not null:
                return source with { Kind = ValueSourceKind.Column };
            case ValueSourceKind.Auto when traitFits:
                return source with { Kind = ValueSourceKind.Trait };
        }
        var at = Locate(sync, section, key);
        if (trait is not null && !traitFits && source.Kind != ValueSourceKind.Column)
        {
            diagnostics.Error(DiagnosticCodes.NotAllowedInContext, Messages.TraitOfOtherModel(source.Name, trait.Model, model.Name), at);
            return source;
        }
        var traits = schema.Schema.Traits.Where(t => t.Model == model.Name).Select(t => t.Name);
        var columns = model.Columns.Select(c => c.Name);
        if (source.Kind == ValueSourceKind.Trait)
            diagnostics.Error(DiagnosticCodes.UnknownTrait, Messages.UnknownTrait(source.Name, model.Name), at, NameSuggester.Nearest(source.Name, traits));
        else if (source.Kind == ValueSourceKind.Column)
            diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(model.Name, source.Name), at, NameSuggester.Nearest(source.Name, columns));
        else
            diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumnOrTrait(model.Name, source.Name), at, NameSuggester.Nearest(source.Name, columns.Concat(traits)));
        return source;
    }

    /// <summary>The key of a field mapping in the document: its name (mapping form) or its index (list form).</summary>
    private static string FieldKey(SyncDefinition sync, int index, string field) =>
        SourceMap.NodeAt(sync, ["fields"]) is DocSequence ? $"[{index}]" : field;

    private static bool SyncWritten(SyncDefinition sync, string key) => SourceMap.NodeAt(sync, [key]) is not null;

    private static SourceLocation? Locate(SyncDefinition sync, params string[] keys) => SourceMap.Locate(sync, sync.Location, keys);

    private static SourceLocation? LocateKey(SyncDefinition sync, string section, string key) =>
        SourceMap.NodeAt(sync, [section]) is DocMapping mapping && mapping.Find(key) is { } entry ? entry.KeyLocation : Locate(sync, section, key);

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SyncName();
}
