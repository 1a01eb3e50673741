using Cohort.Warehouses;
using Xunit;

namespace Cohort.Testing.Postgres;

/// <summary>
/// An xunit class fixture: a fresh database on the shared <see cref="PostgresServer"/> for one test class,
/// dropped afterwards. Use it as <c>class MyTests(PostgresDatabase db) : IClassFixture&lt;PostgresDatabase&gt;</c>.
/// When PostgreSQL cannot start, every test of the class fails with the reason.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _connectionString;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync().ConfigureAwait(false);
        _connectionString = await _server.CreateDatabaseAsync().ConfigureAwait(false);
    }

    /// <summary>Opens a warehouse on this database; <paramref name="schema"/> becomes its search_path.</summary>
    public Task<IWarehouse> OpenWarehouseAsync(string? schema = null) =>
        WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(ConnectionString, schema));

    public async Task DisposeAsync()
    {
        if (_server is not null && _connectionString is not null)
            await _server.DropDatabaseAsync(_connectionString).ConfigureAwait(false);
    }
}
