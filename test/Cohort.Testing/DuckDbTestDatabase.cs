using Cohort.Warehouses;
using Xunit;

namespace Cohort.Testing;

/// <summary>An in-memory DuckDB warehouse, alive until disposed. Usable as an xunit fixture or on its own.</summary>
public sealed class DuckDbTestDatabase : IAsyncLifetime, IAsyncDisposable
{
    private IWarehouse? _warehouse;

    public IWarehouse Warehouse => _warehouse ?? throw new InvalidOperationException("The database is not initialised.");

    public static async Task<DuckDbTestDatabase> CreateAsync()
    {
        var database = new DuckDbTestDatabase();
        await database.InitializeAsync().ConfigureAwait(false);
        return database;
    }

    public async Task InitializeAsync() =>
        _warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb()).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_warehouse is not null)
            await _warehouse.DisposeAsync().ConfigureAwait(false);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
