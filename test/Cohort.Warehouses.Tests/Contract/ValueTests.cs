using Cohort.Sql;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    [Fact]
    public async Task Every_supported_type_reads_back_normalised_including_nulls()
    {
        await W.ExecuteScriptAsync("""
            CREATE TABLE all_types (
                id integer, si smallint, i integer, b bigint, n numeric(18,4), r real, f double precision,
                s text, vc varchar(20), bo boolean, d date, ts timestamp, tz timestamptz,
                ls text[], li bigint[], ln numeric(10,2)[]);
            INSERT INTO all_types VALUES (
                1, -32768, 2147483647, -9223372036854775807, 12345678901234.5678, 0.5, 1.25e300,
                'héllo ✓ 日本語 🎉', 'short', true, DATE '2024-02-29',
                TIMESTAMP '2024-02-29 23:59:59.999999', TIMESTAMPTZ '2024-02-29 23:59:59.999999+00',
                ARRAY['a', NULL, 'ü'], ARRAY[1, NULL, -3], ARRAY[1.5, NULL]);
            INSERT INTO all_types (id) VALUES (2);
            """);

        var rows = await W.ReadAllAsync("SELECT * FROM all_types ORDER BY id");
        Assert.Equal(2, rows.Count);
        var full = rows[0];
        AssertValue(1L, full[0]);
        AssertValue(-32768L, full[1]);
        AssertValue(2147483647L, full[2]);
        AssertValue(-9223372036854775807L, full[3]);
        AssertValue(12345678901234.5678m, full[4]);
        AssertValue(0.5d, full[5]);
        AssertValue(1.25e300d, full[6]);
        AssertValue("héllo ✓ 日本語 🎉", full[7]);
        AssertValue("short", full[8]);
        AssertValue(true, full[9]);
        AssertValue(new DateOnly(2024, 2, 29), full[10]);
        var instant = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);
        AssertUtc(instant, full[11]);
        AssertUtc(instant, full[12]);
        AssertList(["a", null, "ü"], full[13]);
        AssertList([1L, null, -3L], full[14]);
        AssertList([1.5m, null], full[15]);

        var empty = rows[1];
        AssertValue(2L, empty[0]);
        Assert.All(empty.Skip(1), Assert.Null);
    }

    [Fact]
    public async Task Scalar_normalises_and_returns_null_without_rows()
    {
        AssertValue(3L, await W.ScalarAsync("SELECT CAST(3 AS smallint)"));
        Assert.Null(await W.ScalarAsync("SELECT 1 WHERE 1 = 0"));
        Assert.Null(await W.ScalarAsync("SELECT NULL"));
    }

    [Fact]
    public async Task Timestamps_round_trip_exactly_at_microsecond_precision()
    {
        await W.ExecuteScriptAsync("CREATE TABLE times (id integer, ts timestamp, tz timestamptz)");
        DateTime[] instants =
        [
            new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
            new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), // before the Unix epoch
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(10),        // before PostgreSQL's epoch
            new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10),
            new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
        ];
        for (var i = 0; i < instants.Length; i++)
        {
            await W.ExecuteAsync("INSERT INTO times VALUES ($1, $2, $3)",
                (SqlParameterType.Integer, i), (SqlParameterType.Timestamp, instants[i]), (SqlParameterType.Timestamp, instants[i]));
        }

        var rows = await W.ReadAllAsync("SELECT ts, tz FROM times ORDER BY id");
        for (var i = 0; i < instants.Length; i++)
        {
            AssertUtc(instants[i], rows[i][0]);
            AssertUtc(instants[i], rows[i][1]);
            var found = await W.ScalarAsync("SELECT count(*) FROM times WHERE ts = $1 AND tz = $1", (SqlParameterType.Timestamp, instants[i]));
            AssertValue(1L, found);
        }
    }

    [Fact]
    public async Task Sub_microsecond_ticks_are_truncated_identically_on_every_engine()
    {
        var withTicks = new DateTime(1985, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        AssertUtc(new DateTime(1985, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560),
            await W.ScalarAsync("SELECT $1", (SqlParameterType.Timestamp, withTicks)));
    }

    [Fact]
    public async Task The_session_time_zone_is_UTC()
    {
        AssertUtc(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            await W.ScalarAsync("SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' AS TIMESTAMPTZ)"));
        AssertUtc(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            await W.ScalarAsync("SELECT CAST(TIMESTAMPTZ '2024-01-01 05:00:00+05' AS TIMESTAMP)"));
    }

    [Fact]
    public async Task Unicode_text_round_trips_through_parameters_and_tables()
    {
        string[] texts = ["", " ", "ß", "e\u0301", "🎉👩‍👩‍👧", "עברית", "日本語", "line\nbreak\ttab", "quote ' and \" and \\"];
        await W.ExecuteScriptAsync("CREATE TABLE texts (id integer, t text)");
        await W.BulkLoadAsync("texts", ["id", "t"], texts.Select((t, i) => new object?[] { i, t }));
        for (var i = 0; i < texts.Length; i++)
            await W.ExecuteAsync("INSERT INTO texts VALUES ($1, $2)", (SqlParameterType.Integer, 100 + i), (SqlParameterType.String, texts[i]));

        var rows = await W.ReadAllAsync("SELECT id, t FROM texts ORDER BY id");
        Assert.Equal(texts.Concat(texts), rows.Select(r => (string)r[1]!));
    }
}
