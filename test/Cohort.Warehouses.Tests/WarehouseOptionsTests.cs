using Cohort.Warehouses.Postgres;
using Npgsql;

namespace Cohort.Warehouses.Tests;

public sealed class WarehouseOptionsTests
{
    public static TheoryData<WarehouseOptions, string> Invalid => new()
    {
        { new WarehouseOptions { Type = WarehouseType.DuckDb }, "Path" },
        { WarehouseOptions.DuckDb() with { ConnectionString = "Host=x" }, "ConnectionString" },
        { WarehouseOptions.DuckDb() with { StatementTimeout = TimeSpan.FromSeconds(1) }, "StatementTimeout" },
        { WarehouseOptions.DuckDb(threads: 0), "Threads" },
        { new WarehouseOptions { Type = WarehouseType.Postgres }, "ConnectionString" },
        { WarehouseOptions.Postgres("Host=x") with { Path = "a.duckdb" }, "Path" },
        { WarehouseOptions.Postgres("Host=x") with { Threads = 2 }, "Threads" },
        { WarehouseOptions.Postgres("Host=x") with { StatementTimeout = TimeSpan.Zero }, "StatementTimeout" },
        { WarehouseOptions.Postgres("Host=x", schema: " "), "Schema" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Settings_that_are_missing_or_do_not_apply_are_rejected_before_connecting(WarehouseOptions options, string setting)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => WarehouseFactory.OpenAsync(options));
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void The_PostgreSQL_session_is_forced_to_UTC_and_keeps_the_callers_settings()
    {
        var options = WarehouseOptions.Postgres("Host=db;Database=crm;Timezone=Europe/Paris;Options=-c work_mem=64MB", "Sales")
            with { StatementTimeout = TimeSpan.FromSeconds(30) };
        var built = new NpgsqlConnectionStringBuilder(PostgresWarehouse.ConnectionString(options));
        Assert.Equal("UTC", built.Timezone);
        Assert.Equal("\"Sales\"", built.SearchPath);
        Assert.Equal("-c work_mem=64MB -c statement_timeout=30000", built.Options);
        Assert.Equal(0, built.CommandTimeout);
        Assert.Equal("crm", built.Database);
    }
}
