using Xunit;

namespace Cohort.Testing.Postgres;

/// <summary>
/// An xunit class fixture like <see cref="PostgresDatabase"/>, but on a cluster of its own, stopped afterwards.
/// For tests whose outcome depends on cluster-wide state, such as transaction ids: on the shared cluster, other
/// test classes write concurrently and would make those tests flaky.
/// </summary>
public sealed class PrivatePostgresDatabase : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync().ConfigureAwait(false);
        _connectionString = await _server.CreateDatabaseAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync().ConfigureAwait(false);
    }
}
