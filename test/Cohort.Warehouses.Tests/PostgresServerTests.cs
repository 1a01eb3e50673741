using System.Diagnostics;
using Cohort.Testing.Postgres;
using Npgsql;

namespace Cohort.Warehouses.Tests;

/// <summary>The throwaway cluster fixture itself: it starts, serves, and leaves nothing behind.</summary>
public sealed class PostgresServerTests : IDisposable
{
    // A root of our own so these tests never touch the shared server's clusters.
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cohort-pg-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_server_serves_fresh_databases_and_stopping_it_removes_its_directory()
    {
        var server = await PostgresServer.StartAsync(_root);
        Assert.True(Directory.Exists(server.DataDirectory));

        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        Assert.NotEqual(first, second);
        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE only_here (x integer); SELECT current_setting('fsync')", connection);
            Assert.Equal("off", await command.ExecuteScalarAsync());
        }
        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'", connection);
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }
        NpgsqlConnection.ClearAllPools();
        await server.DropDatabaseAsync(first);

        await server.DisposeAsync();
        Assert.False(Directory.Exists(server.DirectoryPath));
        await using var afterwards = new NpgsqlConnection(server.ConnectionStringFor("postgres"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => afterwards.OpenAsync());
    }

    [Fact]
    public async Task A_cluster_left_by_a_killed_test_run_is_stopped_and_removed_by_the_next_start()
    {
        var abandoned = await PostgresServer.StartAsync(_root);
        // Pretend its owner was killed: point the owner file at a process that has exited.
        using (var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            exited.WaitForExit();
            await File.WriteAllTextAsync(Path.Combine(abandoned.DirectoryPath, "owner"), $"{exited.Id} 0");
        }

        await using var next = await PostgresServer.StartAsync(_root);

        Assert.False(Directory.Exists(abandoned.DirectoryPath));
        await using var stale = new NpgsqlConnection(abandoned.ConnectionStringFor("postgres") + ";Timeout=3");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => stale.OpenAsync());
        Assert.Equal([next.DirectoryPath], Directory.GetDirectories(_root));
        abandoned.Stop(); // already gone: must not throw
    }

    [Fact]
    public async Task A_live_cluster_of_another_run_is_left_alone()
    {
        await using var live = await PostgresServer.StartAsync(_root);
        await using var other = await PostgresServer.StartAsync(_root);
        Assert.True(Directory.Exists(live.DirectoryPath));
        await using var connection = new NpgsqlConnection(live.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
    }

    [Fact]
    public async Task The_shared_server_is_one_instance_per_process()
    {
        Assert.Same(await PostgresServer.SharedAsync(), await PostgresServer.SharedAsync());
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
