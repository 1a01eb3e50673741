using Cohort.Sync.State;
using Cohort.Testing;
using Cohort.Testing.Postgres;
using Cohort.Warehouses;

namespace Cohort.Sync.Tests.Support;

/// <summary>A warehouse for one test, with its own data tables and its own state schema.</summary>
public sealed class TestWarehouse(IWarehouse warehouse, StateLocation state, Func<ValueTask>? cleanup = null) : IAsyncDisposable
{
    public IWarehouse Warehouse { get; } = warehouse;

    public StateLocation State { get; } = state;

    public async ValueTask DisposeAsync()
    {
        await Warehouse.DisposeAsync().ConfigureAwait(false);
        if (cleanup is not null) await cleanup().ConfigureAwait(false);
    }
}

/// <summary>An engine the sync suites run on: one small subclass per engine (CONVENTIONS: one suite, every executable dialect).</summary>
public abstract class EngineFixture : IAsyncLifetime
{
    public abstract Task<TestWarehouse> CreateAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

public sealed class DuckDbEngine : EngineFixture
{
    public override async Task<TestWarehouse> CreateAsync() =>
        new(await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb()), StateLocation.InWarehouse);
}

/// <summary>A database on the shared throwaway cluster; each test gets a data schema and a state schema of its own.</summary>
public sealed class PostgresEngine : EngineFixture
{
    private readonly PostgresDatabase _database = new();

    public string ConnectionString => _database.ConnectionString;

    public override Task InitializeAsync() => _database.InitializeAsync();

    public override Task DisposeAsync() => _database.DisposeAsync();

    public override async Task<TestWarehouse> CreateAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await _database.OpenWarehouseAsync())
            await admin.ExecuteScriptAsync($"CREATE SCHEMA data_{id}");
        return new TestWarehouse(await _database.OpenWarehouseAsync($"data_{id}"), new StateLocation($"state_{id}"));
    }
}
