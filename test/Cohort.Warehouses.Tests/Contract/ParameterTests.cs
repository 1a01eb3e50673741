using System.Collections.Immutable;
using Cohort.Sql;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    private const string Unicode = "héllo ✓ 日本語 🎉 עברית";
    private static readonly DateTime Instant = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);

    [Fact]
    public async Task Every_parameter_type_binds_and_reads_back_normalised()
    {
        var row = Assert.Single(await W.ReadAllAsync(
            "SELECT $1, $2, $3, $4, $5, $6",
            (SqlParameterType.String, Unicode),
            (SqlParameterType.Integer, 9_007_199_254_740_993L), // not representable as a double
            (SqlParameterType.Decimal, 12_345_678_901_234.5678m),
            (SqlParameterType.Boolean, true),
            (SqlParameterType.Date, new DateOnly(2024, 2, 29)),
            (SqlParameterType.Timestamp, Instant)));

        AssertValue(Unicode, row[0]);
        AssertValue(9_007_199_254_740_993L, row[1]);
        AssertValue(12_345_678_901_234.5678m, row[2]);
        AssertValue(true, row[3]);
        AssertValue(new DateOnly(2024, 2, 29), row[4]);
        AssertUtc(Instant, row[5]);
    }

    [Fact]
    public async Task Interval_parameters_shift_timestamps_exactly_and_bound_window_frames()
    {
        var shifted = await W.ScalarAsync("SELECT $1 + $2",
            (SqlParameterType.Timestamp, Instant), (SqlParameterType.Interval, TimeSpan.FromTicks(10)));
        AssertUtc(Instant.AddTicks(10), shifted);

        await W.ExecuteScriptAsync("CREATE TABLE frames (t TIMESTAMP); INSERT INTO frames VALUES ('2026-01-01 00:00:00'), ('2026-01-01 00:00:00'), ('2026-01-01 01:00:00')");
        var rows = await W.ReadAllAsync(
            "SELECT t, max(t) OVER (ORDER BY t RANGE BETWEEN $1 PRECEDING AND $2 PRECEDING) FROM frames ORDER BY t",
            (SqlParameterType.Interval, TimeSpan.FromHours(1)), (SqlParameterType.Interval, TimeSpan.FromTicks(10)));
        Assert.Null(rows[0][1]); // equal instants are not strictly before
        Assert.Null(rows[1][1]);
        AssertUtc(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), rows[2][1]);
    }

    [Fact]
    public async Task Parameters_accept_the_CLR_forms_callers_hold()
    {
        var row = Assert.Single(await W.ReadAllAsync(
            "SELECT $1, $2, $3, $4",
            (SqlParameterType.Integer, 42),                                          // int
            (SqlParameterType.Integer, 42m),                                         // an integral decimal literal
            (SqlParameterType.Decimal, 7L),                                          // an integer as a decimal
            (SqlParameterType.Timestamp, new DateTimeOffset(Instant).ToOffset(TimeSpan.FromHours(5)))));
        AssertValue(42L, row[0]);
        AssertValue(42L, row[1]);
        AssertValue(7m, row[2]);
        AssertUtc(Instant, row[3]);
    }

    [Fact]
    public async Task Null_parameters_of_every_type_bind_as_typed_nulls()
    {
        var types = Enum.GetValues<SqlParameterType>();
        var select = "SELECT " + string.Join(", ", types.Select((_, i) => $"${i + 1} IS NULL"));
        var row = Assert.Single(await W.ReadAllAsync(select, [.. types.Select(t => (t, (object?)null))]));
        Assert.All(row, value => AssertValue(true, value));

        await W.ExecuteScriptAsync("CREATE TABLE n (i bigint); INSERT INTO n VALUES (1)");
        Assert.Equal(0L, await W.ScalarAsync("SELECT count(*) FROM n WHERE i = $1", (SqlParameterType.Integer, null)));
        AssertValue(5L, await W.ScalarAsync("SELECT coalesce($1, 5)", (SqlParameterType.Integer, null)));
    }

    [Fact]
    public async Task Parameters_compare_against_columns_of_each_type()
    {
        await W.ExecuteScriptAsync("""
            CREATE TABLE typed (s text, i integer, n numeric(18,4), b boolean, d date, ts timestamp, tz timestamptz)
            """);
        (SqlParameterType, object?)[] values =
        [
            (SqlParameterType.String, Unicode),
            (SqlParameterType.Integer, 7L),
            (SqlParameterType.Decimal, 1.5m),
            (SqlParameterType.Boolean, false),
            (SqlParameterType.Date, new DateOnly(1999, 12, 31)),
            (SqlParameterType.Timestamp, Instant),
            (SqlParameterType.Timestamp, Instant),
        ];
        Assert.Equal(1L, await W.ExecuteAsync("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7)", values));

        var matching = await W.ScalarAsync(
            "SELECT count(*) FROM typed WHERE s = $1 AND i = $2 AND n = $3 AND b = $4 AND d = $5 AND ts = $6 AND tz = $7", values);
        AssertValue(1L, matching);
        var later = await W.ScalarAsync("SELECT count(*) FROM typed WHERE tz > $1", (SqlParameterType.Timestamp, Instant.AddTicks(-10)));
        AssertValue(1L, later);
    }

    [Theory]
    [InlineData("'; DROP TABLE people; --")]
    [InlineData("Robert'); DROP TABLE people;--")]
    [InlineData("' OR '1'='1")]
    [InlineData("$1")]
    [InlineData("\\'; SELECT 1; --")]
    [InlineData("\"people\"")]
    public async Task Injection_looking_values_are_inert(string value)
    {
        await W.ExecuteScriptAsync("CREATE TABLE people (name text); INSERT INTO people VALUES ('alice')");
        await W.ExecuteAsync("INSERT INTO people VALUES ($1)", (SqlParameterType.String, value));

        var found = await W.ReadAllAsync("SELECT name FROM people WHERE name = $1", (SqlParameterType.String, value));
        AssertValue(value, Assert.Single(found)[0]);
        AssertValue(2L, await W.ScalarAsync("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task Sql_compiled_for_another_dialect_is_rejected()
    {
        var other = W.Dialect == SqlDialectName.DuckDb ? SqlDialectName.Postgres : SqlDialectName.DuckDb;
        var sql = new CompiledSql(other, "SELECT 1", []);
        await Assert.ThrowsAsync<ArgumentException>(() => W.ScalarAsync(sql));
    }

    [Fact]
    public async Task Parameters_must_be_numbered_one_to_n_in_order()
    {
        var sql = new CompiledSql(W.Dialect, "SELECT $1, $2",
            [new SqlParameter(2, SqlParameterType.Integer, 2L), new SqlParameter(1, SqlParameterType.Integer, 1L)]);
        await Assert.ThrowsAsync<ArgumentException>(() => W.OpenReaderAsync(sql));
    }

    [Theory]
    [InlineData(SqlParameterType.Integer, "12")]
    [InlineData(SqlParameterType.Integer, 1.5)]
    [InlineData(SqlParameterType.String, 12)]
    [InlineData(SqlParameterType.Boolean, "true")]
    [InlineData(SqlParameterType.Date, "2024-01-01")]
    [InlineData(SqlParameterType.Timestamp, "2024-01-01T00:00:00Z")]
    public async Task A_value_that_does_not_match_its_declared_type_is_rejected(SqlParameterType type, object value)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => W.ScalarAsync("SELECT $1", (type, value)));
        Assert.Contains("$1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_timestamps_are_rejected_rather_than_shifted_by_the_machine_zone()
    {
        var local = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local);
        await Assert.ThrowsAsync<ArgumentException>(() => W.ScalarAsync("SELECT $1", (SqlParameterType.Timestamp, local)));
    }

    [Fact]
    public async Task Sql_without_parameters_may_use_a_default_parameter_array()
    {
        AssertValue(1L, await W.ScalarAsync(new CompiledSql(W.Dialect, "SELECT 1", default(ImmutableArray<SqlParameter>))));
    }
}
