using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Sync;
using Cohort.Sync.Definitions;
using Cohort.Sync.State;
using Cohort.Warehouses;
using Cohort.Warehouses.Projects;
using Spectre.Console;

namespace Cohort.Cli.Infrastructure;

/// <summary>A project with its syncs bound to the destination catalog, and an engine on its warehouse, for the <c>sync</c> verbs.</summary>
public sealed class SyncSession : IAsyncDisposable
{
    private SyncSession(ProjectSession project, SyncProjectResult syncs, IWarehouse warehouse, SyncEngine engine)
    {
        Project = project;
        Syncs = syncs;
        Warehouse = warehouse;
        Engine = engine;
    }

    public ProjectSession Project { get; }

    public SyncProjectResult Syncs { get; }

    public IWarehouse Warehouse { get; }

    public SyncEngine Engine { get; }

    /// <summary>
    /// Loads and binds the project (every diagnostic printed, nothing run on errors), opens its warehouse and an engine
    /// whose state lives in the warehouse's <c>cohort_state</c> schema, or, for an in-memory DuckDB warehouse, in
    /// <c>.cohort/state.duckdb</c> beside the project.
    /// </summary>
    public static async Task<SyncSession> OpenAsync(ProjectSettings settings, IAnsiConsole console, TimeProvider clock, DestinationCatalog catalog,
        SecretResolver secrets, CancellationToken cancellationToken)
    {
        var project = ProjectSession.Load(settings, console);
        var syncs = SyncProject.Bind(project.Project, catalog);
        if (syncs.HasErrors) throw ProjectSession.Invalid(syncs.Diagnostics, settings, console);
        var definition = project.Project.Project;
        var state = StateLocation.InWarehouse;
        if (definition.Warehouse is WarehouseConfig.DuckDb { InMemory: true })
        {
            var folder = Path.Combine(definition.Directory, ".cohort");
            Directory.CreateDirectory(folder);
            state = StateLocation.AttachedDuckDb(Path.Combine(folder, "state.duckdb"));
        }
        var warehouse = await ProjectWarehouse.OpenAsync(definition, cancellationToken: cancellationToken);
        var engine = new SyncEngine(warehouse, project.Project, catalog, clock, new SyncEngineOptions
        {
            State = state,
            Secrets = secrets,
            BaseDirectory = definition.Directory,
        });
        return new SyncSession(project, syncs, warehouse, engine);
    }

    public BoundSync Find(string name) => Syncs.Find(name) ?? throw UnknownSync(name, Project.Project);

    /// <summary>The name of a sync of the project, checked, for verbs that read history (which needs no binding).</summary>
    public string Name(string name) => Project.Project.FindSync(name)?.Name ?? throw UnknownSync(name, Project.Project);

    private static CliError UnknownSync(string name, LoadedProject project)
    {
        var known = project.Syncs.Select(s => s.Name).ToList();
        var nearest = NameSuggester.Nearest(name, known);
        return new CliError($"There is no sync named '{name}' in the project.", ExitCodes.Usage,
            nearest.Count > 0 ? $"Did you mean: {string.Join(", ", nearest)}?"
            : known.Count > 0 ? $"The project's syncs: {string.Join(", ", known)}." : "Add one under syncs/ (see docs/sync.md).");
    }

    public ValueTask DisposeAsync() => Warehouse.DisposeAsync();
}
