using Cohort.Core.Schema;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    private async Task CreatePeopleAsync() => await W.ExecuteScriptAsync($"""
        CREATE TABLE people (
            id bigint, name varchar(40), score numeric(10,2), ratio double precision, active boolean,
            born date, seen_at timestamp, seen_tz timestamptz, tags text[], counts integer[], {UnsupportedColumns.Ddl});
        CREATE VIEW adults AS SELECT id, name FROM people WHERE born < DATE '2006-01-01';
        """);

    [Fact]
    public async Task Introspection_lists_tables_and_views_with_raw_and_mapped_column_types()
    {
        await CreatePeopleAsync();

        var catalog = await W.IntrospectAsync(Schema);

        var people = Assert.IsType<WarehouseTable>(catalog.FindTable("people", Schema));
        Assert.Equal(WarehouseRelationKind.Table, people.Kind);
        Assert.Equal(
            ["id", "name", "score", "ratio", "active", "born", "seen_at", "seen_tz", "tags", "counts", "odd1", "odd2"],
            people.Columns.Select(c => c.Name));
        DataType?[] expected =
        [
            DataType.Integer, DataType.String, DataType.Number, DataType.Number, DataType.Boolean, DataType.Date,
            DataType.Timestamp, DataType.Timestamp, DataType.ArrayOf(ScalarType.String), DataType.ArrayOf(ScalarType.Integer),
            null, null,
        ];
        Assert.Equal(expected, people.Columns.Select(c => c.Type));
        Assert.All(people.Columns, c => Assert.False(string.IsNullOrWhiteSpace(c.RawType)));
        Assert.Equal(UnsupportedColumns.RawType1, people.FindColumn("odd1")!.RawType);
        Assert.Equal(UnsupportedColumns.RawType2, people.FindColumn("odd2")!.RawType);
        Assert.False(people.FindColumn("odd1")!.IsSupported);

        var adults = Assert.IsType<WarehouseTable>(catalog.FindTable("adults"));
        Assert.Equal(WarehouseRelationKind.View, adults.Kind);
        Assert.Equal([DataType.Integer, DataType.String], adults.Columns.Select(c => c.Type));
    }

    [Fact]
    public async Task Introspection_can_be_limited_to_one_schema()
    {
        var other = Schema + "_other";
        await W.ExecuteScriptAsync($"CREATE SCHEMA {other}; CREATE TABLE {other}.elsewhere (a integer); CREATE TABLE here (b integer);");

        var one = await W.IntrospectAsync(Schema);
        Assert.Equal(["here"], one.Tables.Select(t => t.Name));

        var all = await W.IntrospectAsync();
        Assert.NotNull(all.FindTable("elsewhere", other));
        Assert.NotNull(all.FindTable("here", Schema));
        Assert.DoesNotContain(all.Tables, t => t.Schema is "information_schema" or "pg_catalog");
    }

    [Fact]
    public async Task Describing_a_query_reports_its_columns()
    {
        await CreatePeopleAsync();

        var columns = await W.DescribeQueryAsync("SELECT id, name AS label, tags, odd1, score * 2 AS doubled, born FROM people WHERE id = 1;\n");

        Assert.Equal(["id", "label", "tags", "odd1", "doubled", "born"], columns.Select(c => c.Name));
        Assert.Equal(
            [DataType.Integer, DataType.String, DataType.ArrayOf(ScalarType.String), null, DataType.Number, DataType.Date],
            columns.Select(c => c.Type));
        Assert.Equal(UnsupportedColumns.RawType1, columns[3].RawType);
    }

    [Fact]
    public async Task Describing_a_query_does_not_run_it()
    {
        await W.ExecuteScriptAsync("CREATE SEQUENCE seq");
        await W.DescribeQueryAsync("SELECT nextval('seq') AS n");
        AssertValue(1L, await W.ScalarAsync("SELECT nextval('seq')"));
    }

    [Theory]
    [InlineData("DELETE FROM people")]
    [InlineData("SELECT 1; DROP TABLE people")]
    [InlineData("SELECT * FROM no_such_table")]
    public async Task Describing_anything_but_a_valid_query_fails_without_side_effects(string sql)
    {
        await CreatePeopleAsync();
        await Assert.ThrowsAsync<WarehouseException>(() => W.DescribeQueryAsync(sql));
        AssertValue(0L, await W.ScalarAsync("SELECT count(*) FROM people"));
    }
}
