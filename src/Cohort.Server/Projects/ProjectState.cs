using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Server.Store;
using Cohort.Warehouses;
using Cohort.Warehouses.Projects;

namespace Cohort.Server.Projects;

/// <summary>An audience as stored, with its problems against the current schema (an audience can break when the schema changes).</summary>
public sealed record StoredAudience(StoredDocument Document, AudienceDefinition? Definition, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsValid => Definition is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The project as the server sees it at one moment: the schema and audiences from the metadata store, bound and
/// validated together; the warehouse and time zone from <c>cohort.yaml</c>.
/// </summary>
public sealed record ProjectSnapshot(
    LoadedProject Project, StoredDocument? SchemaDocument, ImmutableArray<Diagnostic> SchemaDiagnostics,
    ImmutableDictionary<string, StoredAudience> Audiences)
{
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
public sealed class ProjectState(ProjectDefinition definition, DocumentStore documents, TimeProvider clock) : IAsyncDisposable
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
        var project = new LoadedProject(Definition, schemaResult.Schema, [.. valid], schemaResult.Diagnostics);
        return new ProjectSnapshot(project, schemaDoc, schemaResult.Diagnostics, results.ToImmutable());
    }

    public static DocumentFormat FormatOf(string format) => format == "json" ? DocumentFormat.Json : DocumentFormat.Yaml;

    public static string FileName(StoredDocument doc) => $"audiences/{doc.Name}.{doc.Format}";

    public async ValueTask DisposeAsync()
    {
        if (_warehouse is not null) await _warehouse.DisposeAsync().ConfigureAwait(false);
        _warehouseLock.Dispose();
    }
}
