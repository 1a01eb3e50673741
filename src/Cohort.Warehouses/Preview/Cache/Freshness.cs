using System.Globalization;
using Cohort.Sql;

namespace Cohort.Warehouses.Preview.Cache;

/// <summary>
/// Decides whether the warehouse may have changed since a cached result was computed. Both implementations are
/// exact in one direction: a change is never missed (results are never served stale). They are conservative in the
/// other: any committed write to the database, to any table, counts as a change. See docs/preview-cache.md.
/// </summary>
internal interface IFreshness
{
    /// <summary>A token describing the database's state now, taken before a result is computed.</summary>
    Task<string> TokenAsync(CancellationToken ct);

    /// <summary>True when nothing was committed since <paramref name="token"/> (other than the cache's own writes).</summary>
    Task<bool> UnchangedSinceAsync(string token, CancellationToken ct);

    /// <summary>Registers the cache's own write, so it does not count as a change (PostgreSQL); a no-op elsewhere.</summary>
    string OwnWriteMarker { get; }
}

/// <summary>
/// DuckDB writes every commit to the database's write-ahead log (and a checkpoint rewrites the database file), so the
/// size and modification time of the two files change with every committed write; reads never change them. The
/// cache lives in a separate attached file, so its own writes are invisible here.
/// </summary>
internal sealed class DuckDbFileFreshness(string warehousePath) : IFreshness
{
    public Task<string> TokenAsync(CancellationToken ct) => Task.FromResult(Describe());

    public Task<bool> UnchangedSinceAsync(string token, CancellationToken ct) => Task.FromResult(token == Describe());

    public string OwnWriteMarker => "";

    private string Describe()
    {
        static string Stat(string path)
        {
            var info = new FileInfo(path);
            info.Refresh();
            return info.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{info.Length}@{info.LastWriteTimeUtc.Ticks}")
                : "-";
        }
        return $"duckdb:{Stat(warehousePath)}|{Stat(warehousePath + ".wal")}";
    }
}

/// <summary>
/// PostgreSQL: the token is the database snapshot (<c>pg_current_snapshot()</c>) taken before computing. Later, every
/// transaction id that was in progress then or assigned since is looked up with <c>pg_xact_status</c>: if any of them
/// committed and is not one of the cache's own writes (recorded in <c>cohort_state.preview_cache_writes</c>), the
/// result may be stale. Read-only transactions take no transaction id, so a quiet database keeps its results.
/// </summary>
internal sealed class PostgresFreshness(IWarehouse warehouse) : IFreshness
{
    /// <summary>Beyond this many transactions since, checking each is not worth it: treat as changed.</summary>
    private const long MaxTransactionsToCheck = 200_000;

    public async Task<string> TokenAsync(CancellationToken ct) =>
        (string)(await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.Postgres, "SELECT pg_current_snapshot()::text", []), ct).ConfigureAwait(false))!;

    public async Task<bool> UnchangedSinceAsync(string token, CancellationToken ct)
    {
        const string Sql = """
            WITH since AS (
              SELECT $1::pg_snapshot AS then_snapshot, pg_current_snapshot() AS now_snapshot
            ),
            candidates AS (
              SELECT x FROM since, LATERAL pg_snapshot_xip(since.then_snapshot) AS x
              UNION ALL
              SELECT n::text::xid8 FROM since,
                LATERAL generate_series(pg_snapshot_xmax(since.then_snapshot)::text::bigint, pg_snapshot_xmax(since.now_snapshot)::text::bigint - 1) AS n
            )
            SELECT
              count(*) FILTER (WHERE pg_xact_status(x) = 'committed'
                               AND x NOT IN (SELECT xid FROM cohort_state.preview_cache_writes)) AS foreign_commits
            FROM candidates
            """;
        var spread = await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.Postgres,
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - pg_snapshot_xmax($1::pg_snapshot)::text::bigint",
            [new SqlParameter(1, SqlParameterType.String, token)]), ct).ConfigureAwait(false);
        if (Convert.ToInt64(spread, CultureInfo.InvariantCulture) > MaxTransactionsToCheck) return false;
        await foreach (var row in warehouse.QueryAsync(new CompiledSql(SqlDialectName.Postgres, Sql,
                           [new SqlParameter(1, SqlParameterType.String, token)]), ct).ConfigureAwait(false))
            return Convert.ToInt64(row[0], CultureInfo.InvariantCulture) == 0;
        return false;
    }

    public string OwnWriteMarker => "INSERT INTO cohort_state.preview_cache_writes VALUES (pg_current_xact_id())";
}
