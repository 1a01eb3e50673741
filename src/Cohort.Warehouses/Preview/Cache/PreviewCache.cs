using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Sql.Dialects;

namespace Cohort.Warehouses.Preview.Cache;

/// <summary>How a cached preview was answered.</summary>
public sealed record CachedCounts(ImmutableArray<long> Counts, long Total, int Reused, int Computed);

/// <summary>
/// Per-condition preview results kept in the warehouse: the keys matching each top-level block (and each excluded
/// audience) are stored as a table, keyed by <see cref="CacheKeys"/>. A preview computes only the blocks it has no
/// fresh result for — all of them in one scan — and counts the rest by joining the stored key sets. A result is
/// never served once the warehouse may have changed (<see cref="IFreshness"/>). docs/preview-cache.md explains it.
/// </summary>
public sealed class PreviewCache
{
    private const int MaxEntries = 500;
    private readonly IWarehouse _warehouse;
    private readonly IFreshness _freshness;
    private readonly string _namespace;
    private readonly TimeProvider _clock;
    private readonly SqlDialect _dialect;

    private PreviewCache(IWarehouse warehouse, IFreshness freshness, string ns, TimeProvider clock)
    {
        _warehouse = warehouse;
        _freshness = freshness;
        _namespace = ns;
        _clock = clock;
        _dialect = SqlDialect.For(warehouse.Dialect);
    }

    public static async Task<PreviewCache> OpenAsync(IWarehouse warehouse, CacheLocation location, TimeProvider clock, CancellationToken ct = default)
    {
        switch (location)
        {
            case CacheLocation.DuckDbFile file:
                var path = file.CachePath.Replace("'", "''", StringComparison.Ordinal);
                await warehouse.ExecuteScriptAsync($"""
                    ATTACH IF NOT EXISTS '{path}' AS cohort_cache;
                    CREATE TABLE IF NOT EXISTS cohort_cache.entries (key VARCHAR PRIMARY KEY, table_name VARCHAR, token VARCHAR, created_at TIMESTAMP, row_count BIGINT);
                    """, ct).ConfigureAwait(false);
                return new PreviewCache(warehouse, new DuckDbFileFreshness(file.WarehousePath), "cohort_cache", clock);
            case CacheLocation.Postgres:
                var freshness = new PostgresFreshness(warehouse);
                await warehouse.ExecuteScriptAsync("""
                    CREATE SCHEMA IF NOT EXISTS cohort_state;
                    CREATE TABLE IF NOT EXISTS cohort_state.preview_cache_writes (xid xid8 PRIMARY KEY);
                    CREATE TABLE IF NOT EXISTS cohort_state.preview_cache_entries (key TEXT PRIMARY KEY, table_name TEXT, token TEXT, created_at TIMESTAMP, row_count BIGINT);
                    INSERT INTO cohort_state.preview_cache_writes VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
                    """, ct).ConfigureAwait(false);
                return new PreviewCache(warehouse, freshness, "cohort_state", clock);
            default:
                throw new ArgumentOutOfRangeException(nameof(location), location, null);
        }
    }

    private string Entries => _namespace == "cohort_cache" ? "cohort_cache.entries" : "cohort_state.preview_cache_entries";

    /// <summary>
    /// The counts after each block and exclusion, and the final size, as <see cref="AudienceCompiler.BlockCounts"/>
    /// gives them; null when the audience has no condition (nothing to cache).
    /// </summary>
    public async Task<CachedCounts?> BlockCountsAsync(
        AudienceCompiler compiler,
        IReadOnlyDictionary<string, AudienceDefinition> audiences,
        AudienceDefinition audience,
        EvaluationContext ctx,
        CancellationToken ct = default)
    {
        var blocks = AudienceCompiler.TopLevelBlocks(audience);
        if (blocks.Count == 0) return null;
        var parts = blocks.Concat(audience.Exclusions.Select(x => (Condition)new AudienceCondition(x, true))).ToList();
        var schemaPrint = CacheKeys.Schema(compiler.Schema);
        var keys = parts.Select(p => CacheKeys.For(p, audience.Model, ctx, schemaPrint, audiences)).ToList();

        var tables = await FreshTablesAsync(keys.Distinct().ToList(), ct).ConfigureAwait(false);
        var missing = Enumerable.Range(0, parts.Count).Where(i => !tables.ContainsKey(keys[i])).DistinctBy(i => keys[i]).ToList();
        var reused = parts.Count - missing.Count;
        if (missing.Count > 0)
        {
            var keyType = compiler.Schema.GetModel(audience.Model) is var model && model.FindColumn(model.PrimaryKey!)?.Type is { } t ? t : DataType.String;
            foreach (var (key, table) in await ComputeAsync(compiler, audience.Model, keyType, [.. missing.Select(i => (keys[i], parts[i]))], ctx, ct).ConfigureAwait(false))
                tables[key] = table;
        }
        var counts = await CountAsync(keys.Select(k => tables[k]).ToList(), blocks.Count, ct).ConfigureAwait(false);
        var total = counts[^1];
        if (audience.Limit is { } limit) total = Math.Min(total, limit.Size);
        return new CachedCounts([.. counts], total, reused, missing.Count);
    }

    /// <summary>Cached tables for the keys that are still fresh; stale entries are dropped.</summary>
    private async Task<Dictionary<string, string>> FreshTablesAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var placeholders = string.Join(", ", keys.Select((_, i) => _dialect.Placeholder(i + 1)));
        var sql = new CompiledSql(_warehouse.Dialect, $"SELECT key, table_name, token FROM {Entries} WHERE key IN ({placeholders})",
            [.. keys.Select((k, i) => new SqlParameter(i + 1, SqlParameterType.String, k))]);
        var rows = new List<(string Key, string Table, string Token)>();
        await foreach (var row in _warehouse.QueryAsync(sql, ct).ConfigureAwait(false))
            rows.Add(((string)row[0]!, (string)row[1]!, (string)row[2]!));
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (key, table, token) in rows)
        {
            if (!verdicts.TryGetValue(token, out var fresh))
                verdicts[token] = fresh = await _freshness.UnchangedSinceAsync(token, ct).ConfigureAwait(false);
            if (fresh) found[key] = table;
            else await DropAsync(key, table, ct).ConfigureAwait(false);
        }
        return found;
    }

    private async Task<List<(string Key, string Table)>> ComputeAsync(
        AudienceCompiler compiler, string model, DataType keyType, IReadOnlyList<(string Key, Condition Condition)> missing, EvaluationContext ctx, CancellationToken ct)
    {
        var token = await _freshness.TokenAsync(ct).ConfigureAwait(false);
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var flags = $"{_namespace}.flags_{suffix}";
        var columns = string.Join(", ", missing.Select((_, i) => $"f{i + 1} BOOLEAN"));
        await _warehouse.ExecuteScriptAsync($"CREATE TABLE {flags} (k {KeyType(keyType)}, {columns}); {_freshness.OwnWriteMarker}", ct).ConfigureAwait(false);
        try
        {
            var select = compiler.ConditionFlags(model, [.. missing.Select(m => m.Condition)], ctx, _warehouse.Dialect);
            var marker = _freshness.OwnWriteMarker.Length == 0 ? "" : $"WITH cohort_write AS ({_freshness.OwnWriteMarker} ON CONFLICT DO NOTHING RETURNING 1)\n";
            await _warehouse.ExecuteAsync(select with { Text = $"{marker}INSERT INTO {flags}\n{select.Text}" }, ct).ConfigureAwait(false);
            var created = new List<(string, string)>();
            var now = _clock.GetUtcNow().UtcDateTime;
            for (var i = 0; i < missing.Count; i++)
            {
                var table = $"{_namespace}.b_{missing[i].Key[..16]}_{suffix}";
                var entry = Entries;
                await _warehouse.ExecuteScriptAsync(
                    $"CREATE TABLE {table} AS SELECT k FROM {flags} WHERE f{i + 1}; " +
                    $"DELETE FROM {entry} WHERE key = '{missing[i].Key}'; " +
                    $"INSERT INTO {entry} VALUES ('{missing[i].Key}', '{table}', '{token.Replace("'", "''", StringComparison.Ordinal)}', " +
                    $"TIMESTAMP '{now:yyyy-MM-dd HH:mm:ss.ffffff}', (SELECT count(*) FROM {table})); {_freshness.OwnWriteMarker}", ct).ConfigureAwait(false);
                created.Add((missing[i].Key, table));
            }
            return created;
        }
        finally
        {
            await _warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS {flags}; {_freshness.OwnWriteMarker}", ct).ConfigureAwait(false);
            await PruneAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Cumulative intersections in one pass, starting from the first block's keys.</summary>
    private async Task<long[]> CountAsync(IReadOnlyList<string> tables, int blocks, CancellationToken ct)
    {
        var columns = new List<string>();
        var condition = new List<string>();
        for (var i = 0; i < tables.Count; i++)
        {
            if (i > 0) condition.Add(i < blocks ? $"c{i + 1}.k IS NOT NULL" : $"c{i + 1}.k IS NULL");
            columns.Add(condition.Count == 0 ? "count(*)" : $"count(*) FILTER (WHERE {string.Join(" AND ", condition)})");
        }
        var joins = string.Concat(tables.Skip(1).Select((t, i) => $" LEFT JOIN {t} AS c{i + 2} ON c{i + 2}.k = c1.k"));
        var sql = new CompiledSql(_warehouse.Dialect, $"SELECT {string.Join(", ", columns)} FROM {tables[0]} AS c1{joins}", []);
        await foreach (var row in _warehouse.QueryAsync(sql, ct).ConfigureAwait(false))
            return [.. row.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture))];
        throw new InvalidOperationException("The cached count query returned no row.");
    }

    private async Task DropAsync(string key, string table, CancellationToken ct) =>
        await _warehouse.ExecuteScriptAsync($"DROP TABLE IF EXISTS {table}; DELETE FROM {Entries} WHERE key = '{key}'; {_freshness.OwnWriteMarker}", ct).ConfigureAwait(false);

    /// <summary>Keeps the newest <see cref="MaxEntries"/> results.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var old = new List<(string, string)>();
        var sql = new CompiledSql(_warehouse.Dialect, $"SELECT key, table_name FROM {Entries} ORDER BY created_at DESC OFFSET {MaxEntries}", []);
        await foreach (var row in _warehouse.QueryAsync(sql, ct).ConfigureAwait(false)) old.Add(((string)row[0]!, (string)row[1]!));
        foreach (var (key, table) in old) await DropAsync(key, table, ct).ConfigureAwait(false);
        if (_warehouse.Dialect == SqlDialectName.Postgres)
        {
            // Own-write markers older than every stored snapshot can no longer matter.
            await _warehouse.ExecuteScriptAsync(
                "DELETE FROM cohort_state.preview_cache_writes WHERE xid < " +
                "(SELECT coalesce(min(pg_snapshot_xmin(token::pg_snapshot)), pg_snapshot_xmin(pg_current_snapshot())) FROM cohort_state.preview_cache_entries); " +
                _freshness.OwnWriteMarker, ct).ConfigureAwait(false);
        }
    }

    private string KeyType(DataType type) => type.Element switch
    {
        ScalarType.Integer => "BIGINT",
        ScalarType.Number => "DECIMAL(38, 10)",
        ScalarType.Date => "DATE",
        ScalarType.Timestamp => "TIMESTAMP",
        _ => _warehouse.Dialect == SqlDialectName.Postgres ? "TEXT" : "VARCHAR",
    };
}
