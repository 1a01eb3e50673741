using System.Collections.Immutable;
using Cohort.Sql;

namespace Cohort.Warehouses;

/// <summary>
/// A connection to one warehouse. Safe for concurrent use: each call takes its own connection (PostgreSQL:
/// from a pool; DuckDB: a new connection to the same database instance).
/// </summary>
/// <remarks>
/// Values read back are normalised: integers → <see cref="long"/>, DECIMAL/numeric → <see cref="decimal"/>,
/// DOUBLE/REAL → <see cref="double"/>, text → <see cref="string"/>, <see cref="bool"/>, DATE → <see cref="DateOnly"/>,
/// TIMESTAMP and TIMESTAMPTZ → <see cref="DateTime"/> of kind UTC, arrays/lists → <see cref="IReadOnlyList{T}"/> of
/// normalised elements, NULL → null. Types Cohort does not support (uuid, json, struct, …) come back as the
/// driver returns them, except BLOBs, which come back as <c>byte[]</c>.
/// Parameters are bound positionally ($1..$n) with their declared <see cref="SqlParameterType"/>.
/// </remarks>
public interface IWarehouse : IAsyncDisposable
{
    SqlDialectName Dialect { get; }

    /// <summary>Runs one statement and returns the number of rows it changed (0 for DDL).</summary>
    Task<long> ExecuteAsync(CompiledSql sql, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a script of several statements separated by semicolons, with no parameters: DDL and seed data
    /// written by Cohort itself or a user's init script. Never pass user-supplied values through this.
    /// PostgreSQL runs the script as one implicit transaction; DuckDB runs it statement by statement, so the
    /// statements before a failing one stay applied unless the script wraps itself in BEGIN/COMMIT.
    /// </summary>
    Task ExecuteScriptAsync(string script, CancellationToken cancellationToken = default);

    /// <summary>The first column of the first row, normalised; null when there is no row.</summary>
    Task<object?> ScalarAsync(CompiledSql sql, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a query and returns a reader that streams its rows: rows are fetched as they are read, never
    /// buffered whole. Disposing the reader early stops the query.
    /// </summary>
    Task<WarehouseReader> OpenReaderAsync(CompiledSql sql, CancellationToken cancellationToken = default);

    /// <summary>Tables and views with their columns, optionally limited to one schema.</summary>
    Task<WarehouseCatalog> IntrospectAsync(string? schema = null, CancellationToken cancellationToken = default);

    /// <summary>The columns a SELECT would return, without running it. Anything but a single query is rejected.</summary>
    Task<ImmutableArray<WarehouseColumn>> DescribeQueryAsync(string selectSql, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rows to an existing table through the engine's fast path (DuckDB appender, PostgreSQL binary
    /// COPY), all or nothing. <paramref name="tableName"/> is <c>table</c> or <c>schema.table</c> (DuckDB also
    /// <c>catalog.schema.table</c>, for attached databases), spelled as stored; columns not named get their defaults. Values are converted to the column types where exact.
    /// </summary>
    Task<long> BulkLoadAsync(
        string tableName,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        CancellationToken cancellationToken = default);
}
