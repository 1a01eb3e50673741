using System.Diagnostics;
using Cohort.Sql;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    private static readonly DateTime BulkEpoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static object?[] BulkRow(int i) =>
    [
        (long)i,
        $"name {i} ✓",
        i / 100m,
        i * 0.5,
        (long)(i % 1000),
        i % 2 == 0,
        DateOnly.FromDateTime(BulkEpoch).AddDays(i % 1000),
        BulkEpoch.AddSeconds(i).AddTicks(10 * (i % 7)),
        BulkEpoch.AddSeconds(i),
        i % 10 == 0 ? null : new object?[] { $"t{i % 3}", null },
        i % 10 == 0 ? null : new long[] { i, -i },
    ];

    [Fact]
    public async Task Bulk_load_of_100k_rows_is_fast_and_exact()
    {
        const int count = 100_000;
        await W.ExecuteScriptAsync("""
            CREATE TABLE bulk (id bigint, name text, amount numeric(12,2), ratio double precision, small integer,
                flag boolean, day date, seen timestamp, seen_tz timestamptz, tags text[], pair bigint[])
            """);
        string[] columns = ["id", "name", "amount", "ratio", "small", "flag", "day", "seen", "seen_tz", "tags", "pair"];

        var stopwatch = Stopwatch.StartNew();
        var loaded = await W.BulkLoadAsync("bulk", columns, Enumerable.Range(0, count).Select(BulkRow));
        stopwatch.Stop();
        Output.WriteLine($"{W.Dialect}: bulk loaded {count:N0} rows of {columns.Length} columns in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal(count, loaded);
        var totals = Assert.Single(await W.ReadAllAsync(
            "SELECT count(*), sum(id), sum(amount), sum(small), count(tags), min(seen_tz), max(seen_tz) FROM bulk"));
        AssertValue((long)count, totals[0]);
        Assert.Equal((decimal)count * (count - 1) / 2, Convert.ToDecimal(totals[1]));
        AssertValue(Enumerable.Range(0, count).Sum(i => i / 100m), totals[2]);
        Assert.Equal((decimal)Enumerable.Range(0, count).Sum(i => (long)(i % 1000)), Convert.ToDecimal(totals[3]));
        AssertValue(count - count / 10L, totals[4]);
        AssertUtc(BulkEpoch, totals[5]);
        AssertUtc(BulkEpoch.AddSeconds(count - 1), totals[6]);

        foreach (var id in new[] { 0, 12_345, count - 1 })
        {
            var row = Assert.Single(await W.ReadAllAsync($"SELECT {string.Join(", ", columns)} FROM bulk WHERE id = $1", (SqlParameterType.Integer, id)));
            var expected = BulkRow(id);
            for (var c = 0; c < columns.Length; c++)
            {
                switch (expected[c])
                {
                    case null: Assert.Null(row[c]); break;
                    case DateTime dt: AssertUtc(dt, row[c]); break;
                    case long[] pair: AssertList([pair[0], pair[1]], row[c]); break;
                    case object?[] list: AssertList(list, row[c]); break;
                    default: Assert.Equal(expected[c], row[c]); break;
                }
            }
        }

        // A loose bound: row-by-row INSERTs take minutes here, the fast paths a second or two.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"Bulk load took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Bulk_load_takes_columns_in_any_order_and_defaults_the_rest()
    {
        await W.ExecuteScriptAsync("CREATE TABLE accounts (id integer, name text, status text DEFAULT 'new', score real)");
        var loaded = await W.BulkLoadAsync("accounts", ["score", "name", "id"], [[1.5, "a", 1], [null, "b", 2L]]);
        Assert.Equal(2, loaded);

        var rows = await W.ReadAllAsync("SELECT id, name, status, score FROM accounts ORDER BY id");
        Assert.Equal<object?>([1L, "a", "new", 1.5d], rows[0]);
        Assert.Equal<object?>([2L, "b", "new", null], rows[1]);
    }

    [Fact]
    public async Task Bulk_load_accepts_schema_qualified_names()
    {
        await W.ExecuteScriptAsync("CREATE TABLE qualified (id integer)");
        await W.BulkLoadAsync($"{Schema}.qualified", ["id"], [[1], [2]]);
        AssertValue(2L, await W.ScalarAsync("SELECT count(*) FROM qualified"));
    }

    [Fact]
    public async Task Bulk_load_with_a_value_of_the_wrong_type_loads_nothing()
    {
        await W.ExecuteScriptAsync("CREATE TABLE strict (id integer, name text)");
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            W.BulkLoadAsync("strict", ["id", "name"], [[1, "a"], [2, "b"], ["three", "c"]]));
        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("three", error.Message, StringComparison.Ordinal);

        // The bad value is the last of its row: the row is half-written when the load fails.
        error = await Assert.ThrowsAsync<ArgumentException>(() =>
            W.BulkLoadAsync("strict", ["id", "name"], [[1, "a"], [2, 2.5]]));
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        AssertValue(0L, await W.ScalarAsync("SELECT count(*) FROM strict"));
    }

    [Fact]
    public async Task Bulk_load_that_violates_a_constraint_loads_nothing_and_keeps_values_out_of_the_message()
    {
        await W.ExecuteScriptAsync("CREATE TABLE keyed (email text PRIMARY KEY)");
        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            W.BulkLoadAsync("keyed", ["email"], [["first@example.com"], ["dup@example.com"], ["dup@example.com"]]));
        Assert.Equal(WarehouseErrorKind.Constraint, error.Kind);
        Assert.DoesNotContain("example.com", error.ToString(), StringComparison.Ordinal);
        AssertValue(0L, await W.ScalarAsync("SELECT count(*) FROM keyed"));
    }

    [Fact]
    public async Task Bulk_load_misuse_is_reported_as_argument_errors()
    {
        await W.ExecuteScriptAsync("CREATE TABLE small (id integer)");
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("small", ["nope"], [[1]]));
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("small", ["id"], [[1, 2]]));
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("small", [], [[1]]));
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("a.b.c.d", ["id"], [[1]])); // DuckDB takes catalog.schema.table (attached databases)
        await Assert.ThrowsAsync<ArgumentException>(() => W.BulkLoadAsync("small", ["id"], [[int.MaxValue + 1L]]));
        AssertValue(0L, await W.ScalarAsync("SELECT count(*) FROM small"));
    }
}
