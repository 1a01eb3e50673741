using Cohort.Core.Schema;
using Cohort.Sql;

namespace Cohort.Warehouses.Tests;

/// <summary>The mapping table of docs/schema.md, spelled the ways each engine reports types.</summary>
public sealed class WarehouseTypesTests
{
    [Theory]
    [InlineData("VARCHAR", "string")]
    [InlineData("ENUM('a', 'b')", "string")]
    [InlineData("TINYINT", "integer")]
    [InlineData("SMALLINT", "integer")]
    [InlineData("INTEGER", "integer")]
    [InlineData("BIGINT", "integer")]
    [InlineData("HUGEINT", "integer")]
    [InlineData("UBIGINT", "integer")]
    [InlineData("DECIMAL(18,4)", "number")]
    [InlineData("DOUBLE", "number")]
    [InlineData("FLOAT", "number")]
    [InlineData("BOOLEAN", "boolean")]
    [InlineData("DATE", "date")]
    [InlineData("TIMESTAMP", "timestamp")]
    [InlineData("TIMESTAMP WITH TIME ZONE", "timestamp")]
    [InlineData("TIMESTAMP_NS", "timestamp")]
    [InlineData("VARCHAR[]", "array<string>")]
    [InlineData("BIGINT[]", "array<integer>")]
    [InlineData("INTEGER[3]", "array<integer>")]
    [InlineData("DECIMAL(10,2)[]", "array<number>")]
    [InlineData("BOOLEAN[]", null)]
    [InlineData("DATE[]", null)]
    [InlineData("VARCHAR[][]", null)]
    [InlineData("STRUCT(a INTEGER)", null)]
    [InlineData("STRUCT(a INTEGER)[]", null)]
    [InlineData("MAP(VARCHAR, INTEGER)", null)]
    [InlineData("UUID", null)]
    [InlineData("JSON", null)]
    [InlineData("BLOB", null)]
    [InlineData("INTERVAL", null)]
    [InlineData("TIME", null)]
    public void DuckDB_types_map_to_Cohort_types(string raw, string? expected) =>
        Assert.Equal(expected, WarehouseTypes.Map(SqlDialectName.DuckDb, raw)?.ToString());

    [Theory]
    [InlineData("text", "string")]
    [InlineData("character varying(20)", "string")]
    [InlineData("character varying", "string")]
    [InlineData("character(3)", "string")]
    [InlineData("smallint", "integer")]
    [InlineData("integer", "integer")]
    [InlineData("bigint", "integer")]
    [InlineData("numeric(18,4)", "number")]
    [InlineData("numeric(18, 4)", "number")]
    [InlineData("numeric", "number")]
    [InlineData("real", "number")]
    [InlineData("double precision", "number")]
    [InlineData("boolean", "boolean")]
    [InlineData("date", "date")]
    [InlineData("timestamp without time zone", "timestamp")]
    [InlineData("timestamp(3) without time zone", "timestamp")]
    [InlineData("timestamp with time zone", "timestamp")]
    [InlineData("text[]", "array<string>")]
    [InlineData("character varying(20)[]", "array<string>")]
    [InlineData("integer[]", "array<integer>")]
    [InlineData("numeric(10,2)[]", "array<number>")]
    [InlineData("boolean[]", null)]
    [InlineData("uuid", null)]
    [InlineData("jsonb", null)]
    [InlineData("json", null)]
    [InlineData("bytea", null)]
    [InlineData("interval", null)]
    [InlineData("\"char\"", null)]
    [InlineData("my_enum", null)]
    public void PostgreSQL_types_map_to_Cohort_types(string raw, string? expected) =>
        Assert.Equal(expected, WarehouseTypes.Map(SqlDialectName.Postgres, raw)?.ToString());

    [Fact]
    public void Every_mapped_type_is_one_the_schema_language_can_declare()
    {
        string[] raws = ["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR[]", "BIGINT[]", "DOUBLE[]"];
        foreach (var raw in raws)
        {
            var type = WarehouseTypes.Map(SqlDialectName.DuckDb, raw);
            Assert.NotNull(type);
            Assert.True(DataType.TryParse(type.Value.ToString(), out var parsed));
            Assert.Equal(type, parsed);
        }
    }
}
