using System.Diagnostics;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    [Fact]
    public async Task A_huge_result_streams_its_first_row_without_buffering()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // fails, rather than hangs, if it buffers
        var stopwatch = Stopwatch.StartNew();
        var reader = await W.OpenReaderAsync(W.Sql(HugeResultSql), timeout.Token);
        Assert.True(await reader.ReadAsync(timeout.Token));
        var firstRow = stopwatch.Elapsed;
        Assert.IsType<long>(reader.Current[0]);
        for (var i = 0; i < 10_000; i++)
            Assert.True(await reader.ReadAsync(timeout.Token));
        await reader.DisposeAsync();
        var disposed = stopwatch.Elapsed;
        Output.WriteLine($"{W.Dialect}: first row after {firstRow.TotalMilliseconds:0} ms, 10k rows read and reader disposed after {disposed.TotalMilliseconds:0} ms");

        Assert.True(firstRow < TimeSpan.FromSeconds(5), $"First row took {firstRow}.");
        Assert.True(disposed < TimeSpan.FromSeconds(10), $"Disposing took until {disposed}: the rest of the result was drained.");
        AssertValue(1L, await W.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task Cancelling_a_running_statement_stops_it()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => W.ScalarAsync(W.Sql(LongRunningSql), cancel.Token));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"Cancellation took {stopwatch.Elapsed}.");
        AssertValue(1L, await W.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task The_reader_names_columns_and_hands_out_a_fresh_array_per_row()
    {
        await W.ExecuteScriptAsync("CREATE TABLE pairs (a integer, b text); INSERT INTO pairs VALUES (1, 'x'), (2, 'y')");
        await using var reader = await W.OpenReaderAsync(W.Sql("SELECT a, b AS bee FROM pairs ORDER BY a"));
        Assert.Equal(["a", "bee"], reader.ColumnNames.ToArray());
        Assert.Throws<InvalidOperationException>(() => reader.Current);
        Assert.True(await reader.ReadAsync());
        var first = reader.Current;
        Assert.True(await reader.ReadAsync());
        Assert.Equal<object?>([1L, "x"], first);
        Assert.Equal<object?>([2L, "y"], reader.Current);
        Assert.False(await reader.ReadAsync());
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Breaking_out_of_QueryAsync_releases_the_connection()
    {
        for (var i = 0; i < 30; i++)
        {
            await foreach (var row in W.QueryAsync(W.Sql(HugeResultSql)))
            {
                Assert.NotNull(row[0]);
                break;
            }
        }
        AssertValue(1L, await W.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task Scripts_run_several_statements_and_execute_counts_changed_rows()
    {
        await W.ExecuteScriptAsync("""
            CREATE TABLE counter (x integer);
            INSERT INTO counter VALUES (1);
            INSERT INTO counter VALUES (2);
            INSERT INTO counter VALUES (3);
            """);
        Assert.Equal(3L, await W.ExecuteAsync("UPDATE counter SET x = x + 1"));
        Assert.Equal(1L, await W.ExecuteAsync("DELETE FROM counter WHERE x = 4"));
        Assert.Equal(0L, await W.ExecuteAsync("CREATE TABLE other (y integer)"));
        await Assert.ThrowsAsync<ArgumentException>(() => W.ExecuteScriptAsync("  "));
    }

    [Fact]
    public async Task A_script_that_fails_part_way_is_atomic_only_where_declared()
    {
        await W.ExecuteScriptAsync("CREATE TABLE log (x integer)");
        await Assert.ThrowsAsync<WarehouseException>(() =>
            W.ExecuteScriptAsync("INSERT INTO log VALUES (1); INSERT INTO log VALUES (CAST('x' AS integer))"));
        AssertValue(ScriptsAreAtomic ? 0L : 1L, await W.ScalarAsync("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task Calls_may_run_concurrently()
    {
        await W.ExecuteScriptAsync("CREATE TABLE shared (x integer)");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => W.ExecuteAsync($"INSERT INTO shared VALUES ({i})")));
        await using var reader = await W.OpenReaderAsync(W.Sql("SELECT x FROM shared ORDER BY x"));
        Assert.True(await reader.ReadAsync());
        AssertValue(28L, await W.ScalarAsync("SELECT sum(x) FROM shared")); // while the reader is open
    }
}
