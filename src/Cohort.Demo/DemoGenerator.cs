using System.Collections.Immutable;
using System.Globalization;
using Cohort.Demo.Generation;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Demo;

/// <summary>Progress of a generation: <paramref name="Completed"/> of <paramref name="Total"/> steps done, the next one described.</summary>
public sealed record DemoProgress(int Completed, int Total, string Description);

public sealed record DemoTableCount(string Table, long Rows);

/// <summary>What a generation produced.</summary>
public sealed record DemoSummary(DemoOptions Options, ImmutableArray<DemoTableCount> Tables, TimeSpan Elapsed)
{
    public long RowsOf(string table) => Tables.FirstOrDefault(t => t.Table == table)?.Rows ?? 0;
}

/// <summary>
/// Generates the demo e-commerce warehouse (docs/demo.md) into an empty database or schema, entirely with SQL run
/// in the warehouse: the rows never pass through this process, so 10 million customers need no more memory than
/// 10 thousand. The same <see cref="DemoOptions"/> give the same rows on DuckDB and PostgreSQL.
/// </summary>
public static class DemoGenerator
{
    /// <summary>The tables the generator creates, in documentation order.</summary>
    public static IReadOnlyList<string> Tables => DemoPlan.Tables;

    /// <summary>Number of progress steps <see cref="GenerateAsync"/> reports.</summary>
    public static int StepCount(DemoOptions options) => new DemoPlan(options, SqlDialectName.DuckDb).Steps().Count;

    /// <summary>
    /// Creates and fills the demo tables in <paramref name="warehouse"/> (its default schema), which must not have
    /// them yet. Use <see cref="DemoWarehouse"/> to build a whole warehouse atomically.
    /// </summary>
    public static async Task<DemoSummary> GenerateAsync(
        IWarehouse warehouse,
        DemoOptions options,
        IProgress<DemoProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(options);
        clock ??= TimeProvider.System;
        var start = clock.GetTimestamp();
        var steps = new DemoPlan(options, warehouse.Dialect).Steps();
        for (var i = 0; i < steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new DemoProgress(i, steps.Count, steps[i].Description));
            switch (steps[i])
            {
                case SqlStep sql:
                    await warehouse.ExecuteScriptAsync(sql.Sql, cancellationToken).ConfigureAwait(false);
                    break;
                case BulkStep bulk:
                    await warehouse.BulkLoadAsync(bulk.Table, bulk.Columns, bulk.Rows(), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        progress?.Report(new DemoProgress(steps.Count, steps.Count, "Done"));
        var counts = ImmutableArray.CreateBuilder<DemoTableCount>();
        foreach (var table in DemoPlan.Tables)
        {
            var rows = await warehouse.ScalarAsync(new CompiledSql(warehouse.Dialect, $"SELECT count(*) FROM {table}", []), cancellationToken).ConfigureAwait(false);
            counts.Add(new DemoTableCount(table, Convert.ToInt64(rows, CultureInfo.InvariantCulture)));
        }
        return new DemoSummary(options, counts.ToImmutable(), clock.GetElapsedTime(start));
    }

    /// <summary>The SQL the generator runs, step by step, for reading and review.</summary>
    public static IReadOnlyList<(string Description, string Sql)> Script(DemoOptions options, SqlDialectName dialect) =>
        [.. new DemoPlan(options, dialect).Steps().Select(s => (s.Description, s switch
        {
            SqlStep sql => sql.Sql,
            BulkStep bulk => $"-- {bulk.Table}: {string.Join(", ", bulk.Columns)} (computed in C#, bulk loaded)",
            _ => "",
        }))];
}
