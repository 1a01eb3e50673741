using System.Globalization;
using Cohort.Core.Time;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Sync.Definitions;
using Cohort.Sync.State;
using Cohort.Warehouses;

namespace Cohort.Sync.Planning;

/// <summary>
/// Plans a run in the warehouse: one statement evaluates the sync's query, renders each row's payload, hashes it and
/// compares it with the snapshot (a full outer join on the key), writing only the rows that differ into the plan
/// table in key order; a second statement fills in removed rows' last payload. Pages are then read by key.
/// </summary>
internal sealed class SyncPlanner(IWarehouse warehouse, StateTables tables, AudienceCompiler compiler, TimeProvider time)
{
    public async Task<PlanCounts> PlanAsync(BoundSync sync, EvaluationContext evaluation, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var plan = tables.Plan(sync.Name);
        var snapshot = tables.Snapshot(sync.Name);
        foreach (var statement in tables.Dialect.CreateWorkTable(plan, tables.PlanColumns))
            await warehouse.ExecuteScriptAsync(statement, cancellationToken).ConfigureAwait(false);

        var result = PayloadSql.Result(sync, compiler, evaluation, tables.Dialect);
        var hash = tables.Dialect.Hash("x.payload");
        var text =
            $"INSERT INTO {plan} (key, change, payload)\n" +
            "SELECT key, change, payload FROM (\n" +
            "SELECT coalesce(c.key, s.key) AS key,\n" +
            "  CASE WHEN s.key IS NULL THEN 'added' WHEN c.key IS NULL THEN 'removed' ELSE 'changed' END AS change,\n" +
            "  c.payload AS payload\n" +
            $"FROM (SELECT x.key, x.payload, {hash} AS payload_hash FROM (\n{result.Text}\n) AS x) AS c\n" +
            $"FULL JOIN (SELECT key, payload_hash FROM {snapshot}) AS s ON c.key = s.key\n" +
            "WHERE s.key IS NULL OR c.key IS NULL OR c.payload_hash <> s.payload_hash\n" +
            ") AS d\nORDER BY key";
        await warehouse.ExecuteAsync(result with { Text = text }, cancellationToken).ConfigureAwait(false);
        await warehouse.ExecuteAsync(new CompiledSql(warehouse.Dialect,
            $"UPDATE {plan} AS p SET payload = s.payload FROM {snapshot} AS s WHERE p.key = s.key AND p.change = 'removed'", []), cancellationToken).ConfigureAwait(false);
        if (tables.Dialect.KeyIndex(plan, tables.PlanIndex(sync.Name)) is { } index)
            await warehouse.ExecuteScriptAsync(index, cancellationToken).ConfigureAwait(false);

        long added = 0, changed = 0, removed = 0;
        await foreach (var row in warehouse.QueryAsync(new CompiledSql(warehouse.Dialect, $"SELECT change, count(*) FROM {plan} GROUP BY change", []), cancellationToken).ConfigureAwait(false))
        {
            var count = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            switch (PlannedRow.Parse((string)row[0]!))
            {
                case ChangeKind.Added: added = count; break;
                case ChangeKind.Changed: changed = count; break;
                default: removed = count; break;
            }
        }
        var before = Convert.ToInt64(await warehouse.ScalarAsync(new CompiledSql(warehouse.Dialect, $"SELECT count(*) FROM {snapshot}", []), cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        return new PlanCounts(added, changed, removed, before - removed + added, time.GetElapsedTime(started));
    }

    /// <summary>The next page of the plan after <paramref name="afterKey"/> (keyset pagination; null for the first page).</summary>
    public async Task<List<PlannedRow>> PageAsync(string sync, string? afterKey, int size, CancellationToken cancellationToken)
    {
        var limit = size.ToString(CultureInfo.InvariantCulture);
        var sql = afterKey is null
            ? new CompiledSql(warehouse.Dialect, $"SELECT key, change, payload FROM {tables.Plan(sync)} ORDER BY key LIMIT {limit}", [])
            : new CompiledSql(warehouse.Dialect, $"SELECT key, change, payload FROM {tables.Plan(sync)} WHERE key > $1 ORDER BY key LIMIT {limit}",
                [new SqlParameter(1, SqlParameterType.String, afterKey)]);
        var rows = new List<PlannedRow>(size);
        await foreach (var row in warehouse.QueryAsync(sql, cancellationToken).ConfigureAwait(false))
            rows.Add(new PlannedRow((string)row[0]!, PlannedRow.Parse((string)row[1]!), row[2] as string));
        return rows;
    }
}
