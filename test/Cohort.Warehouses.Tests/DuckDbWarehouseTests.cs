using Cohort.Sql;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests;

/// <summary>Behaviour only DuckDB has: embedded lifetime, bundled extensions, its extra integer and list types.</summary>
public sealed class DuckDbWarehouseTests : IAsyncLifetime
{
    private readonly DuckDbTestDatabase _database = new();

    private IWarehouse W => _database.Warehouse;

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task An_in_memory_database_lives_as_long_as_the_warehouse()
    {
        await W.ExecuteScriptAsync("CREATE TABLE kept (x integer)");
        await W.ExecuteAsync("INSERT INTO kept VALUES (1)");
        await using (var reader = await W.OpenReaderAsync(W.Sql("SELECT x FROM kept")))
            Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, await W.ScalarAsync("SELECT count(*) FROM kept"));
    }

    [Fact]
    public async Task Bulk_loads_reach_a_table_of_an_attached_database_by_catalog_schema_table()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cohort-test-{Guid.NewGuid():N}.duckdb");
        try
        {
            await W.ExecuteScriptAsync($"ATTACH '{path}' AS side; CREATE SCHEMA side.kept; CREATE TABLE side.kept.rows (id BIGINT, label VARCHAR)");
            Assert.Equal(2L, await W.BulkLoadAsync("side.kept.rows", ["id", "label"], [[1L, "a"], [2L, "b"]]));
            Assert.Equal(2L, await W.ScalarAsync("SELECT count(*) FROM side.kept.rows"));
            await W.ExecuteScriptAsync("DETACH side");
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Fact]
    public async Task Two_in_memory_warehouses_are_separate_databases()
    {
        await using var other = await DuckDbTestDatabase.CreateAsync();
        await W.ExecuteScriptAsync("CREATE TABLE mine (x integer)");
        await Assert.ThrowsAsync<WarehouseException>(() => other.Warehouse.ScalarAsync("SELECT count(*) FROM mine"));
    }

    [Fact]
    public async Task A_file_database_keeps_its_data_after_reopening()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cohort-test-{Guid.NewGuid():N}.duckdb");
        try
        {
            await using (var first = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path)))
                await first.ExecuteScriptAsync("CREATE TABLE saved (x integer); INSERT INTO saved VALUES (42)");
            await using var second = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path));
            Assert.Equal(42L, await second.ScalarAsync("SELECT x FROM saved"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Fact]
    public async Task Threads_and_schema_options_are_applied_to_every_connection()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cohort-test-{Guid.NewGuid():N}.duckdb");
        try
        {
            await using (var create = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path)))
                await create.ExecuteScriptAsync("CREATE SCHEMA analytics; CREATE TABLE analytics.t (x integer)");
            await using var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(path, threads: 1) with { Schema = "analytics" });
            Assert.Equal("1", (await warehouse.ScalarAsync("SELECT current_setting('threads')"))?.ToString());
            Assert.Equal(0L, await warehouse.ScalarAsync("SELECT count(*) FROM t"));
            Assert.Equal("UTC", await warehouse.ScalarAsync("SELECT current_setting('TimeZone')"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Fact]
    public async Task A_schema_that_does_not_exist_fails_on_open()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb() with { Schema = "nowhere" }));
        Assert.Equal(SqlDialectName.DuckDb, error.Dialect);
    }

    [Fact]
    public async Task The_bundled_json_parquet_and_icu_extensions_work_offline()
    {
        Assert.Equal("1", await W.ScalarAsync("""SELECT json_extract_string('{"a": 1}', '$.a')"""));
        Assert.Equal(new DateTime(2024, 7, 1, 4, 0, 0, DateTimeKind.Utc),
            await W.ScalarAsync("SELECT CAST(timezone('America/New_York', TIMESTAMP '2024-07-01 00:00:00') AS TIMESTAMP)"));

        var file = Path.Combine(Path.GetTempPath(), $"cohort-test-{Guid.NewGuid():N}.parquet");
        try
        {
            await W.ExecuteScriptAsync($"COPY (SELECT range AS x FROM range(5)) TO '{file}' (FORMAT parquet)");
            Assert.Equal(10m, Convert.ToDecimal(await W.ScalarAsync($"SELECT sum(x) FROM read_parquet('{file}')")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_extension_that_is_not_bundled_fails_at_once_instead_of_downloading()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() => W.ScalarAsync("SELECT count(*) FROM read_parquet('s3://bucket/x.parquet')"));
        Assert.Equal(SqlDialectName.DuckDb, error.Dialect);
    }

    [Fact]
    public async Task DuckDB_only_integer_enum_and_list_types_normalise()
    {
        await W.ExecuteScriptAsync("""
            CREATE TYPE mood AS ENUM ('happy', 'sad');
            CREATE TABLE extras (t tinyint, ut utinyint, ui uinteger, ub ubigint, h hugeint, m mood,
                li integer[], fixed integer[3], ld double[], lb boolean[], ldt date[]);
            INSERT INTO extras VALUES (-1, 255, 4294967295, 9223372036854775807, -170141183460469231731687303715884105727 + 170141183460469231731687303715884105726,
                'sad', [1, NULL], [1, 2, 3], [0.5, NULL], [true, NULL], [DATE '2024-01-01', NULL]);
            """);
        var row = Assert.Single(await W.ReadAllAsync("SELECT * FROM extras"));
        Assert.Equal<object?>([-1L, 255L, 4294967295L, long.MaxValue, -1L, "sad"], row.Take(6));
        Assert.Equal(new object?[] { 1L, null }, (IReadOnlyList<object?>)row[6]!);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, (IReadOnlyList<object?>)row[7]!);
        Assert.Equal(new object?[] { 0.5, null }, (IReadOnlyList<object?>)row[8]!);
        Assert.Equal(new object?[] { true, null }, (IReadOnlyList<object?>)row[9]!);
        Assert.Equal(new object?[] { new DateOnly(2024, 1, 1), null }, (IReadOnlyList<object?>)row[10]!);
    }

    [Fact]
    public async Task An_integer_beyond_64_bits_is_a_data_error_not_a_wrong_value()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() => W.ScalarAsync("SELECT CAST(18446744073709551615 AS UBIGINT) AS big"));
        Assert.Equal(WarehouseErrorKind.InvalidData, error.Kind);
        Assert.DoesNotContain("18446744073709551615", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Types_Cohort_does_not_support_come_back_as_the_driver_reads_them()
    {
        var row = Assert.Single(await W.ReadAllAsync(
            "SELECT CAST('6f1e1b8e-1c77-4c8a-9b6d-3c7f0a2c9e11' AS UUID), CAST('\\xAA\\xBB' AS BLOB), {'a': 1}"));
        Assert.Equal(Guid.Parse("6f1e1b8e-1c77-4c8a-9b6d-3c7f0a2c9e11"), row[0]);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, row[1]);
        Assert.NotNull(row[2]);
    }

    [Fact]
    public async Task Bulk_load_converts_values_to_DuckDB_specific_column_types()
    {
        await W.ExecuteScriptAsync("CREATE TABLE narrow (t tinyint, u usmallint, r real, h hugeint, g uuid, li integer[], lr real[])");
        var id = Guid.NewGuid();
        await W.BulkLoadAsync("narrow", ["t", "u", "r", "h", "g", "li", "lr"], [[5L, 60000, 0.25, 7L, id, new object?[] { 1L, null }, new[] { 1.5 }]]);
        var row = Assert.Single(await W.ReadAllAsync("SELECT * FROM narrow"));
        Assert.Equal<object?>([5L, 60000L, 0.25d, 7L, id], row.Take(5));
        Assert.Equal(new object?[] { 1L, null }, (IReadOnlyList<object?>)row[5]!);
        Assert.Equal(new object?[] { 1.5d }, (IReadOnlyList<object?>)row[6]!);
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("narrow", ["t"], [[300]]));
    }
}
