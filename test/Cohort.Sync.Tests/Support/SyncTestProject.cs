using Cohort.Core.Projects;
using Cohort.Destinations.Catalog;
using Cohort.Sync.Definitions;
using Cohort.Testing.Sync;

namespace Cohort.Sync.Tests.Support;

/// <summary>
/// A project on disk for sync tests: a people/orders schema, a few audiences, and whatever syncs and destinations a
/// test writes. The warehouse comes from the test (DuckDB or PostgreSQL); <see cref="SeedSql"/> creates the tables.
/// </summary>
public sealed class SyncTestProject : IDisposable
{
    public const string Schema = """
        models:
          people:
            kind: parent
            table: people
            primary_key: id
            columns:
              id: integer
              email: {type: string, pii: true}
              phone: {type: string, pii: true}
              name: string
              score: number
              active: boolean
              segment: string
              signup_at: timestamp
              birthday: date
              tags: array<string>
          orders:
            kind: related
            table: orders
            primary_key: order_id
            columns: {order_id: integer, person_id: integer, total: number}
        relationships:
          - {from: people, from_key: id, to: orders, to_key: person_id, cardinality: one_to_many}
        traits:
          spend: {model: people, from: orders, kind: sum, column: total}
        """;

    public SyncTestProject()
    {
        Directory = Path.Combine(Path.GetTempPath(), "cohort-sync-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "audiences"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "syncs"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "destinations"));
        File.WriteAllText(Path.Combine(Directory, "cohort.yaml"), "name: synctest\nwarehouse: {type: duckdb, path: \":memory:\"}\n");
        File.WriteAllText(Path.Combine(Directory, "schema.yaml"), Schema);
        Audience("active", "model: people\ncondition: {property: active, is_true: true}\n");
        Audience("unsubscribed", "model: people\ncondition: {property: segment, equals: unsub}\n");
        Audience("experiment", "model: people\ncondition: {property: active, is_true: true}\nsplits:\n  groups:\n    - {name: treatment, percent: 50}\n    - {name: holdout, percent: 50, holdout: true}\n");
        Destination("memory", "type: memory\n");
    }

    public string Directory { get; }

    public SyncTestProject Audience(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(Directory, "audiences", name + ".yaml"), yaml);
        return this;
    }

    public SyncTestProject Sync(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(Directory, "syncs", name + ".yaml"), yaml);
        return this;
    }

    public SyncTestProject Destination(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(Directory, "destinations", name + ".yaml"), yaml);
        return this;
    }

    public LoadedProject Load()
    {
        var project = ProjectLoader.Load(Directory);
        Assert.False(project.HasErrors, string.Join("\n", project.Diagnostics));
        return project;
    }

    /// <summary>Loads the project and binds one sync against the catalog; fails the test on any diagnostic error.</summary>
    public (LoadedProject Project, BoundSync Sync) Bind(string sync, DestinationCatalog catalog)
    {
        var project = Load();
        var bound = SyncProject.Bind(project, catalog);
        Assert.False(bound.HasErrors, string.Join("\n", bound.Diagnostics));
        return (project, bound.Find(sync) ?? throw new InvalidOperationException($"No sync {sync}."));
    }

    public static DestinationCatalog Catalog(MemoryDestinationStore memory, params MemoryDestinationStore[] more)
    {
        var catalog = DestinationCatalog.CreateDefault();
        catalog.Register(memory.Type());
        for (var i = 0; i < more.Length; i++) catalog.Register(more[i].Type($"memory{i + 2}"));
        return catalog;
    }

    /// <summary>Creates people (ids 1..n) and orders; every third person is inactive, every seventh unsubscribed.</summary>
    public static string SeedSql(int people) => $"""
        CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR, phone VARCHAR, name VARCHAR, score DECIMAL(12, 2), active BOOLEAN,
            segment VARCHAR, signup_at TIMESTAMP, birthday DATE, tags VARCHAR[]);
        INSERT INTO people
        SELECT i, 'user' || i || '@example.com', CASE WHEN i % 5 = 0 THEN NULL ELSE '+4420' || i END, 'Name ' || i, i * 1.5,
            i % 3 <> 0, CASE WHEN i % 7 = 0 THEN 'unsub' ELSE 'regular' END,
            (DATE '2024-01-01' + CAST(i AS INTEGER)) + TIME '10:30:00.25', DATE '1990-01-01' + CAST(i AS INTEGER), ARRAY['t' || (i % 4)]
        FROM generate_series(1, {people}) AS g(i);
        CREATE TABLE orders (order_id INTEGER PRIMARY KEY, person_id INTEGER, total DECIMAL(12, 2));
        INSERT INTO orders SELECT i, (i % {people}) + 1, (i % 50) + 0.25 FROM generate_series(1, {people * 2}) AS g(i);
        """;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does no harm.
        }
    }
}
