using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;
using Cohort.Core.Time;
using Cohort.Destinations.Catalog;
using Cohort.Server.Scheduling;
using Cohort.Server.Store;
using Cohort.Sync.Definitions;
using Cohort.Warehouses;
using Cohort.Warehouses.Projects;

namespace Cohort.Server.Projects;

/// <summary>An audience as stored, with its problems against the current schema (an audience can break when the schema changes).</summary>
public sealed record StoredAudience(StoredDocument Document, AudienceDefinition? Definition, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsValid => Definition is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>A destination as stored (project format, docs/destinations.md), read back, with its problems.</summary>
public sealed record StoredDestination(StoredDocument Document, DestinationDefinition? Definition, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsValid => Definition is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// A sync as stored (project format, docs/sync.md): the definition as read (<see cref="Written"/>, for display), the
/// bound one when it is valid against the current schema, audiences and destinations, and its schedule.
/// </summary>
public sealed record StoredSync(StoredDocument Document, SyncDefinition? Written, SyncDefinition? Bound, Schedule Schedule, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsValid => Bound is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>The source audience, when the sync sends an audience (rather than a model's rows).</summary>
    public string? Audience => (Written?.Source as SyncSource.Audience)?.Name;
}

/// <summary>A sync document read and checked: its tree, the definition as written, the bound one (null on errors), its schedule.</summary>
public sealed record SyncCheck(DocNode? Root, SyncDefinition? Written, SyncDefinition? Bound, Schedule Schedule, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Bound is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The project as the server sees it at one moment: the schema, audiences, destinations and syncs from the metadata
/// store, bound and validated together; the warehouse, time zone (and any inline destinations) from <c>cohort.yaml</c>.
/// <see cref="Project"/> holds the valid ones, in the same shape <c>ProjectLoader.Load</c> gives the CLI.
/// </summary>
public sealed record ProjectSnapshot(
    LoadedProject Project, StoredDocument? SchemaDocument, ImmutableArray<Diagnostic> SchemaDiagnostics,
    ImmutableDictionary<string, StoredAudience> Audiences)
{
    public ImmutableDictionary<string, StoredDestination> Destinations { get; init; } = ImmutableDictionary<string, StoredDestination>.Empty;

    public ImmutableDictionary<string, StoredSync> Syncs { get; init; } = ImmutableDictionary<string, StoredSync>.Empty;

    public SchemaDefinition Schema => Project.Schema;

    public SchemaIndex Index => Project.Index;

    /// <summary>Valid audiences only: what the compiler and previews may see.</summary>
    public ImmutableArray<AudienceDefinition> ValidAudiences => Project.Audiences;
}

/// <summary>
/// Holds the project the server was started on: its definition (cohort.yaml), its warehouse (opened once and
/// shared: every call takes its own connection) and the current snapshot of the stored definitions, rebuilt after
/// every change to the store.
/// </summary>
public sealed class ProjectState(ProjectDefinition definition, DocumentStore documents, DestinationCatalog catalog, TimeProvider clock) : IAsyncDisposable
{
    private readonly SemaphoreSlim _warehouseLock = new(1, 1);
    private readonly Lock _snapshotLock = new();
    private IWarehouse? _warehouse;
    private Task<ProjectSnapshot>? _snapshot;

    public ProjectDefinition Definition { get; } = definition;

    public TimeZoneInfo TimeZone => Definition.ResolveTimeZone();

    public EvaluationContext Now() => EvaluationContext.Now(clock, TimeZone);

    /// <summary>Marks the snapshot stale (called on every store change).</summary>
    public void Invalidate()
    {
        lock (_snapshotLock)
        {
            _snapshot = null;
        }
    }

    public Task<ProjectSnapshot> CurrentAsync(CancellationToken ct = default)
    {
        lock (_snapshotLock)
        {
            if (_snapshot is { IsFaulted: false, IsCanceled: false } cached) return cached;
            var task = BuildAsync(CancellationToken.None);
            _snapshot = task;
            return task.WaitAsync(ct);
        }
    }

    public async Task<IWarehouse> WarehouseAsync(CancellationToken ct = default)
    {
        if (_warehouse is { } open) return open;
        await _warehouseLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return _warehouse ??= await ProjectWarehouse.OpenAsync(Definition, cancellationToken: ct).ConfigureAwait(false);
        }
        finally
        {
            _warehouseLock.Release();
        }
    }

    private async Task<ProjectSnapshot> BuildAsync(CancellationToken ct)
    {
        var schemaDoc = await documents.GetAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, ct).ConfigureAwait(false);
        var schemaResult = schemaDoc is { Deleted: false }
            ? ProjectLoader.LoadSchemaText(schemaDoc.Content, FormatOf(schemaDoc.Format), "schema." + schemaDoc.Format)
            : new SchemaLoadResult(SchemaDefinition.Empty, []);
        var index = new SchemaIndex(schemaResult.Schema);

        var docs = await documents.ListAsync(DocumentKinds.Audience, ct).ConfigureAwait(false);
        var read = new List<(StoredDocument Doc, AudienceDefinition? Audience, DiagnosticBag Bag)>();
        foreach (var doc in docs)
        {
            var bag = new DiagnosticBag();
            var root = DocumentReader.ReadText(doc.Content, FormatOf(doc.Format), FileName(doc), bag);
            var audience = root is null ? null : AudienceReader.Read(root, doc.Name, bag);
            read.Add((doc, audience, bag));
        }
        var all = read.Where(r => r.Audience is not null).Select(r => r.Audience!).ToList();
        var results = ImmutableDictionary.CreateBuilder<string, StoredAudience>(StringComparer.Ordinal);
        foreach (var (doc, audience, bag) in read)
        {
            var bound = audience is null ? null : AudienceValidator.Validate(audience, index, all, bag);
            results[doc.Name] = new StoredAudience(doc, bound, bag.ToImmutable());
        }
        var valid = results.Values.Where(a => a.IsValid).Select(a => a.Definition!).ToList();

        // Destinations: the stored ones, plus any written inline in cohort.yaml (which the store cannot change).
        var destinations = ImmutableDictionary.CreateBuilder<string, StoredDestination>(StringComparer.Ordinal);
        foreach (var doc in await documents.ListAsync(DocumentKinds.Destination, ct).ConfigureAwait(false))
        {
            var bag = new DiagnosticBag();
            var root = DocumentReader.ReadText(doc.Content, FormatOf(doc.Format), DestinationFile(doc.Name, doc.Format), bag);
            var destination = root is null ? null : DestinationReader.Read(root, doc.Name, bag);
            if (destination is not null) catalog.Validate(destination, bag);
            destinations[doc.Name] = new StoredDestination(doc, destination, bag.ToImmutable());
        }
        List<DestinationDefinition> usable = [.. destinations.Values.Where(d => d.IsValid).Select(d => d.Definition!)];
        usable.AddRange(Definition.InlineDestinations.Where(d => !destinations.ContainsKey(d.Name)));

        var baseProject = new LoadedProject(Definition, schemaResult.Schema, [.. valid], schemaResult.Diagnostics) { Destinations = [.. usable] };
        var syncs = ImmutableDictionary.CreateBuilder<string, StoredSync>(StringComparer.Ordinal);
        foreach (var doc in await documents.ListAsync(DocumentKinds.Sync, ct).ConfigureAwait(false))
        {
            var check = CheckSync(baseProject, doc.Content, FormatOf(doc.Format), doc.Name);
            syncs[doc.Name] = new StoredSync(doc, check.Written, check.Bound, check.Schedule, check.Diagnostics);
        }
        var project = baseProject with { Syncs = [.. syncs.Values.Where(s => s.IsValid).Select(s => s.Bound!)] };
        return new ProjectSnapshot(project, schemaDoc, schemaResult.Diagnostics, results.ToImmutable())
        {
            Destinations = destinations.ToImmutable(),
            Syncs = syncs.ToImmutable(),
        };
    }

    /// <summary>
    /// Reads and checks a sync against <paramref name="project"/>: the Core checks (schema, audiences, destination
    /// names), the destination type's (operations, identifiers) and the scheduler's (interval, cron, time zone).
    /// </summary>
    public SyncCheck CheckSync(LoadedProject project, string text, DocumentFormat format, string name)
    {
        var file = SyncFile(name, format == DocumentFormat.Json ? "json" : "yaml");
        var bag = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, file, bag);
        var written = root is null ? null : SyncReader.Read(root, name, bag);
        SyncDefinition? bound = null;
        var schedule = Schedule.ManualOnly;
        if (written is not null)
        {
            bound = SyncValidator.Validate(written, project.Destinations, project.Index, project.Audiences, bag);
            if (!bag.HasErrors) SyncProject.Bind(project, bound, catalog, bag);
            schedule = Schedule.From(written.Schedule);
            var scheduleNode = (root as DocMapping)?.Find("schedule")?.Value as DocMapping;
            foreach (var problem in schedule.Check("schedule"))
            {
                var key = problem.Location?.Path?.Split('.').LastOrDefault() ?? "";
                var at = scheduleNode?.Find(key)?.Value.Location ?? scheduleNode?.Location;
                bag.Add(problem with { Location = at is null ? problem.Location : at with { Path = problem.Location?.Path ?? "schedule" } });
            }
        }
        return new SyncCheck(root, written, bag.HasErrors ? null : bound, schedule, bag.ToImmutable());
    }

    public static string DestinationFile(string name, string format) => $"destinations/{name}.{format}";

    public static string SyncFile(string name, string format) => $"syncs/{name}.{format}";

    public static DocumentFormat FormatOf(string format) => format == "json" ? DocumentFormat.Json : DocumentFormat.Yaml;

    public static string FileName(StoredDocument doc) => $"audiences/{doc.Name}.{doc.Format}";

    public DestinationCatalog Catalog => catalog;

    public async ValueTask DisposeAsync()
    {
        if (_warehouse is not null) await _warehouse.DisposeAsync().ConfigureAwait(false);
        _warehouseLock.Dispose();
    }
}
