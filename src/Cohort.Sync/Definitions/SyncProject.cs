using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Values;

namespace Cohort.Sync.Definitions;

/// <summary>The syncs of a project bound to the destination catalog, and every problem found doing so.</summary>
public sealed record SyncProjectResult(ImmutableArray<BoundSync> Syncs, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public BoundSync? Find(string name) => Syncs.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// Checks what depends on destination types (settings, supported operations, accepted identifiers) and binds every
/// sync of a loaded project. The library API a server calls after <see cref="ProjectLoader.Load"/>.
/// </summary>
public static class SyncProject
{
    /// <summary>Binds every sync; diagnostics include those of every destination definition.</summary>
    public static SyncProjectResult Bind(LoadedProject project, DestinationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(catalog);
        var diagnostics = new DiagnosticBag();
        foreach (var destination in project.Destinations) catalog.Validate(destination, diagnostics);
        var syncs = ImmutableArray.CreateBuilder<BoundSync>();
        foreach (var sync in project.Syncs)
        {
            if (Bind(project, sync, catalog, diagnostics) is { } bound) syncs.Add(bound);
        }
        return new SyncProjectResult(syncs.ToImmutable(), diagnostics.ToImmutable());
    }

    /// <summary>Binds one sync (already validated against the schema, e.g. by <see cref="ProjectLoader.LoadSyncText"/>); null when it cannot run.</summary>
    public static BoundSync? Bind(LoadedProject project, SyncDefinition sync, DestinationCatalog catalog, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var destination = project.FindDestination(sync.Destination);
        var type = destination is null ? null : catalog.Find(destination.Type);
        var ok = destination is not null && type is not null;

        var accepted = type is null || destination is null ? [] : type.IdentifiersOf(destination);
        if (type is not null && destination is not null)
        {
            var needed = Modes.For(sync);
            var offered = type.OperationsOf(destination);
            foreach (var operation in new[] { needed.Added, needed.Changed, needed.Removed }.OfType<BatchOperation>().Distinct())
            {
                if (offered.Contains(operation)) continue;
                diagnostics.Error(DiagnosticCodes.ModeNotSupported, SyncMessages.OperationNotSupported(sync, type.Name, operation, type.OperationHint?.Invoke(operation)),
                    sync.Location?.WithPath(operation is BatchOperation.Delete or BatchOperation.Archive && sync.Mode is not SyncMode.Mirror and not SyncMode.Membership ? "on_exit" : "mode"));
                ok = false;
            }
        }

        var payload = ImmutableArray.CreateBuilder<PayloadItem>();
        var model = Model(project, sync);
        foreach (var field in sync.Fields)
            payload.Add(new PayloadItem(PayloadSection.Field, field.Field, field.Source, model is null ? null : TypeOf(project, model, field.Source)));
        foreach (var identifier in sync.Identifiers)
        {
            if (!IdentifierTypes.TryParse(identifier.Type, out var kind))
            {
                ok = false; // reported by the sync validator (COH505)
                continue;
            }
            if (type is { AcceptsAnyIdentifier: false } && accepted.Length > 0 && !accepted.Contains(kind))
            {
                diagnostics.Error(DiagnosticCodes.UnknownIdentifierType, SyncMessages.IdentifierNotAccepted(identifier.Type, type.Name, accepted),
                    sync.Location?.WithPath($"identifiers.{identifier.Type}"));
                ok = false;
            }
            payload.Add(new PayloadItem(PayloadSection.Identifier, identifier.Type, identifier.Source, model is null ? null : TypeOf(project, model, identifier.Source))
            {
                Identifier = kind,
            });
        }
        if (!ok || model is null || project.HasErrors) return null;

        var keyColumn = sync.Key ?? model.PrimaryKey!;
        var keyType = model.FindColumn(keyColumn)?.Type ?? DataType.String;
        var query = QueryFor(project, sync, model);
        return new BoundSync(sync, destination!, type!, query, model, keyColumn, keyType, payload.ToImmutable());
    }

    /// <summary>The audience the compiler turns into the sync's query: the source's rows, minus the sync's exclusions, with the source's splits.</summary>
    private static AudienceDefinition QueryFor(LoadedProject project, SyncDefinition sync, ModelDefinition model)
    {
        var name = "__sync_" + sync.Name;
        return sync.Source switch
        {
            SyncSource.Audience a => new AudienceDefinition(name, model.Name, new AudienceCondition(a.Name, Member: true), sync.Exclusions,
                Splits: project.FindAudience(a.Name)?.Splits),
            SyncSource.Model m => new AudienceDefinition(name, model.Name, m.Filter, sync.Exclusions),
            _ => throw new InvalidOperationException($"Unknown sync source {sync.Source.GetType().Name}."),
        };
    }

    private static ModelDefinition? Model(LoadedProject project, SyncDefinition sync)
    {
        var name = sync.Source switch
        {
            SyncSource.Audience a => project.FindAudience(a.Name)?.Model,
            SyncSource.Model m => m.Name,
            _ => null,
        };
        return name is null ? null : project.Schema.FindModel(name) is { Kind: ModelKind.Parent, PrimaryKey: not null } model ? model : null;
    }

    private static DataType? TypeOf(LoadedProject project, ModelDefinition model, ValueSource source) => source.Kind switch
    {
        ValueSourceKind.Column => model.FindColumn(source.Name)?.Type,
        ValueSourceKind.Trait => project.Schema.FindTrait(source.Name) is { } trait ? TraitTypes.ResultType(trait, project.Index) : null,
        _ => null,
    };
}
