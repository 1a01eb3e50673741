using Cohort.Testing;
using Cohort.Testing.Postgres;

namespace Cohort.Demo.Tests;

/// <summary>The generator's promise: the same options give the same rows, on DuckDB and on PostgreSQL.</summary>
public sealed class CrossEngineTests(PostgresDatabase pg) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task DuckDb_and_PostgreSQL_get_identical_tables()
    {
        var options = DemoRows.Options();
        await using var duck = await DuckDbTestDatabase.CreateAsync();
        await using var postgres = await pg.OpenWarehouseAsync();
        var duckSummary = await DemoGenerator.GenerateAsync(duck.Warehouse, options);
        var pgSummary = await DemoGenerator.GenerateAsync(postgres, options);

        Assert.Equal(string.Join(", ", duckSummary.Tables), string.Join(", ", pgSummary.Tables));
        foreach (var table in DemoGenerator.Tables)
        {
            var expected = await DemoRows.TableAsync(duck.Warehouse, table);
            var actual = await DemoRows.TableAsync(postgres, table);
            var firstDifference = expected.Zip(actual).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            Assert.True(expected.SequenceEqual(actual),
                $"Table {table} differs between DuckDB and PostgreSQL at sorted row {firstDifference.i}:\n  duckdb:   {firstDifference.p.First}\n  postgres: {firstDifference.p.Second}");
        }
    }
}
