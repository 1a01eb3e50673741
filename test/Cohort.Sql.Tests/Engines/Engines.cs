using Cohort.Warehouses;
using Cohort.Testing.Engines;
using Cohort.Testing.Postgres;

namespace Cohort.Sql.Tests.Engines;

/// <summary>A real engine holding the test schema's tables, shared by one test class.</summary>
public interface IEngine
{
    TestSchemaWarehouse Tables { get; }
}

public sealed class DuckDbEngine : IEngine, IAsyncLifetime
{
    private IWarehouse? _warehouse;

    public TestSchemaWarehouse Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Test data is synthetic, so the engine's full error text (which may quote values) is wanted.
        _warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb() with { IncludeErrorDetail = true });
        Tables = await TestSchemaWarehouse.CreateAsync(_warehouse);
    }

    public async Task DisposeAsync()
    {
        if (_warehouse is not null) await _warehouse.DisposeAsync();
    }
}

public sealed class PostgresEngine : IEngine, IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private IWarehouse? _warehouse;

    public TestSchemaWarehouse Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(_database.ConnectionString) with { IncludeErrorDetail = true });
        Tables = await TestSchemaWarehouse.CreateAsync(_warehouse);
    }

    public async Task DisposeAsync()
    {
        if (_warehouse is not null) await _warehouse.DisposeAsync();
        await _database.DisposeAsync();
    }
}
