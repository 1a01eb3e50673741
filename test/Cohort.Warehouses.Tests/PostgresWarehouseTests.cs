using System.Diagnostics;
using Cohort.Sql;
using Cohort.Testing;
using Cohort.Testing.Postgres;

namespace Cohort.Warehouses.Tests;

/// <summary>Behaviour only the PostgreSQL connector has: server-side timeouts, search_path, connection failures.</summary>
public sealed class PostgresWarehouseTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task The_statement_timeout_cancels_long_statements_on_the_server()
    {
        await using var warehouse = await WarehouseFactory.OpenAsync(
            WarehouseOptions.Postgres(database.ConnectionString) with { StatementTimeout = TimeSpan.FromMilliseconds(200) });
        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<WarehouseException>(() => warehouse.ScalarAsync("SELECT pg_sleep(10)"));
        Assert.Equal(WarehouseErrorKind.Timeout, error.Kind);
        Assert.Equal("57014", error.VendorCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_a_timeout_statements_may_run_longer_than_Npgsqls_default()
    {
        await using var warehouse = await database.OpenWarehouseAsync();
        Assert.Equal("0", await warehouse.ScalarAsync("SHOW statement_timeout"));
    }

    [Fact]
    public async Task The_schema_option_sets_the_search_path_even_for_mixed_case_names()
    {
        await using (var setup = await database.OpenWarehouseAsync())
            await setup.ExecuteScriptAsync("""CREATE SCHEMA "MixedCase"; CREATE TABLE "MixedCase".items (x integer); INSERT INTO "MixedCase".items VALUES (7)""");
        await using var warehouse = await database.OpenWarehouseAsync("MixedCase");
        Assert.Equal(7L, await warehouse.ScalarAsync("SELECT x FROM items"));
        Assert.Equal("UTC", await warehouse.ScalarAsync("SHOW TimeZone"));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_connection_error()
    {
        var closedPort = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=postgres;Timeout=5";
        var error = await Assert.ThrowsAsync<WarehouseException>(() => WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(closedPort)));
        Assert.Equal(WarehouseErrorKind.Connection, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Null(error.VendorCode);
    }

    [Fact]
    public async Task A_missing_database_is_an_undefined_object()
    {
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "no_such_database" };
        var error = await Assert.ThrowsAsync<WarehouseException>(() => WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(missing.ConnectionString)));
        Assert.Equal(WarehouseErrorKind.UndefinedObject, error.Kind);
        Assert.Equal("3D000", error.VendorCode);
    }

    [Fact]
    public async Task Char_padding_and_unsupported_types_come_back_as_Npgsql_reads_them()
    {
        await using var warehouse = await database.OpenWarehouseAsync();
        var row = Assert.Single(await warehouse.ReadAllAsync(
            "SELECT CAST('ab' AS char(3)), CAST('6f1e1b8e-1c77-4c8a-9b6d-3c7f0a2c9e11' AS uuid), CAST('{\"a\": 1}' AS jsonb), CAST(2.5 AS real)"));
        Assert.Equal("ab ", row[0]);
        Assert.Equal(Guid.Parse("6f1e1b8e-1c77-4c8a-9b6d-3c7f0a2c9e11"), row[1]);
        Assert.Equal("{\"a\": 1}", row[2]);
        Assert.Equal(2.5d, row[3]);
    }

    [Fact]
    public async Task Integer_parameters_compare_with_every_integer_column_width()
    {
        await using var warehouse = await database.OpenWarehouseAsync();
        await warehouse.ExecuteScriptAsync("CREATE TABLE widths (s smallint, i integer, n numeric(5,1)); INSERT INTO widths VALUES (1, 2, 3.0)");
        Assert.Equal(1L, await warehouse.ScalarAsync(
            "SELECT count(*) FROM widths WHERE s = $1 AND i = $2 AND n = $3",
            (SqlParameterType.Integer, 1), (SqlParameterType.Integer, 2), (SqlParameterType.Integer, 3)));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again once disposed
    }
}
