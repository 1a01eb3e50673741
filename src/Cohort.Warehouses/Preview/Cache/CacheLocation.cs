namespace Cohort.Warehouses.Preview.Cache;

/// <summary>Where per-condition preview results are kept, and so how their freshness is judged.</summary>
public abstract record CacheLocation
{
    private CacheLocation() { }

    /// <summary>
    /// Beside a DuckDB warehouse file: results live in a second DuckDB file attached to the same instance
    /// (<c>&lt;warehouse&gt;.cohort-cache.duckdb</c>), so writing them never changes the warehouse file.
    /// </summary>
    public sealed record DuckDbFile(string WarehousePath) : CacheLocation
    {
        public string CachePath => WarehousePath + ".cohort-cache.duckdb";
    }

    /// <summary>In the PostgreSQL database itself, in the <c>cohort_state</c> schema (unlogged tables).</summary>
    public sealed record Postgres : CacheLocation;

    public static readonly Postgres InPostgres = new();
}
