namespace Cohort.Demo.Tests;

/// <summary>The generator's promise: the same options give the same rows, on DuckDB and on PostgreSQL.</summary>
[Collection(DemoCollection.Name)]
public sealed class CrossEngineTests(DemoFixture demo)
{
    [Fact]
    public void Both_engines_get_the_same_row_counts() =>
        Assert.Equal(string.Join(", ", demo.DuckDbSummary.Tables), string.Join(", ", demo.PostgresSummary.Tables));

    [Fact]
    public async Task DuckDb_and_PostgreSQL_get_identical_tables()
    {
        foreach (var table in DemoGenerator.Tables)
        {
            var expected = await DemoRows.TableAsync(demo.DuckDb, table);
            var actual = await DemoRows.TableAsync(demo.Postgres, table);
            var firstDifference = expected.Zip(actual).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            Assert.True(expected.SequenceEqual(actual),
                $"Table {table} differs between DuckDB and PostgreSQL ({expected.Count} vs {actual.Count} rows), first at sorted row {firstDifference.i}:\n  duckdb:   {firstDifference.p.First}\n  postgres: {firstDifference.p.Second}");
        }
    }
}
