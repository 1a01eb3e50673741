using Cohort.Core.Projects;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Demo.Tests;

/// <summary>
/// One demo warehouse generated on each engine with the same options (2,000 customers), shared by the tests of the
/// <see cref="DemoCollection"/>, with the demo project written beside it.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private DuckDbTestDatabase? _duck;
    private PostgresServer? _server;
    private string? _pgConnection;

    public DemoOptions Options { get; } = DemoRows.Options(customers: 2_000);

    public IWarehouse DuckDb => _duck?.Warehouse ?? throw new InvalidOperationException("Not initialised.");

    public IWarehouse Postgres { get; private set; } = null!;

    public DemoSummary DuckDbSummary { get; private set; } = null!;

    public DemoSummary PostgresSummary { get; private set; } = null!;

    public string ProjectDirectory { get; } = Path.Combine(Path.GetTempPath(), "cohort-demo-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public LoadedProject Project { get; private set; } = null!;

    public IEnumerable<IWarehouse> Engines => [DuckDb, Postgres];

    public async Task InitializeAsync()
    {
        _duck = await DuckDbTestDatabase.CreateAsync();
        _server = await PostgresServer.SharedAsync();
        _pgConnection = await _server.CreateDatabaseAsync();
        Postgres = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(_pgConnection));
        DuckDbSummary = await DemoGenerator.GenerateAsync(DuckDb, Options);
        PostgresSummary = await DemoGenerator.GenerateAsync(Postgres, Options);
        DemoProject.Write(ProjectDirectory, new DemoProjectWarehouse.DuckDb("unused.duckdb"), Options);
        Project = ProjectLoader.Load(ProjectDirectory);
    }

    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        if (_duck is not null) await _duck.DisposeAsync();
        if (_server is not null && _pgConnection is not null) await _server.DropDatabaseAsync(_pgConnection);
        if (Directory.Exists(ProjectDirectory)) Directory.Delete(ProjectDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "demo warehouses";
}
