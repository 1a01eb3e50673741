using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Cohort.Sql;
using Cohort.Warehouses.Internal;
using DuckDB.NET.Data;

namespace Cohort.Warehouses.DuckDb;

/// <summary>
/// An embedded DuckDB database, a file or <c>:memory:</c>. One root connection keeps the database (and an
/// in-memory database's contents) alive for the warehouse's lifetime; each call works on a connection of its
/// own to the same database instance, so calls may run concurrently. DuckDB runs in-process: its calls
/// complete on the calling thread.
/// </summary>
internal sealed class DuckDbWarehouse : DbWarehouse
{
    private readonly DuckDBConnection _root;
    private readonly bool _inMemory;
    private readonly string? _searchPath;

    private DuckDbWarehouse(DuckDBConnection root, bool inMemory, string? schema, bool includeErrorDetail)
        : base(SqlDialectName.DuckDb, includeErrorDetail)
    {
        _root = root;
        _inMemory = inMemory;
        // search_path is a per-connection setting in DuckDB (it cannot be set GLOBAL).
        _searchPath = schema is null ? null : $"SET search_path = '{schema.Replace("'", "''", StringComparison.Ordinal)}'";
    }

    public static async Task<DuckDbWarehouse> OpenAsync(WarehouseOptions options, CancellationToken cancellationToken)
    {
        var builder = new DuckDBConnectionStringBuilder { DataSource = options.Path! };
        var root = new DuckDBConnection(builder.ConnectionString);
        var inMemory = options.Path!.StartsWith(":memory:", StringComparison.Ordinal);
        var warehouse = new DuckDbWarehouse(root, inMemory, options.Schema, options.IncludeErrorDetail);
        try
        {
            await warehouse.OpenRootAsync(options, cancellationToken).ConfigureAwait(false);
            return warehouse;
        }
        catch
        {
            await root.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task OpenRootAsync(WarehouseOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await _root.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }

        // GLOBAL so that every connection to this database inherits them. Extensions other than the bundled ones
        // (parquet, json, icu) would be downloaded at run time; refuse that up front instead of on first use.
        var settings = new List<string>
        {
            "SET GLOBAL TimeZone = 'UTC'",
            "SET GLOBAL autoinstall_known_extensions = false",
        };
        if (options.Threads is { } threads)
            settings.Add($"SET GLOBAL threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        if (_searchPath is not null)
            settings.Add(_searchPath); // fails here, on open, when the schema does not exist

        await using var command = _root.CreateCommand();
        command.CommandText = string.Join(";\n", settings);
        await RunAsync(command, cancellationToken, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    protected override bool CancelsThroughCommand => true;

    protected override ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // An in-memory database is reachable only through a duplicate of its connection. A file database is
        // reached by path; DuckDB.NET shares one database instance among a process's connections to a file.
        var connection = _inMemory ? _root.Duplicate() : new DuckDBConnection(_root.ConnectionString);
        try
        {
            connection.Open();
            if (_searchPath is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = _searchPath;
                command.ExecuteNonQuery();
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return ValueTask.FromResult<DbConnection>(connection);
    }

    protected override DbCommand CreateCommand(DbConnection connection, string text, IReadOnlyList<BoundParameter> parameters, bool streaming)
    {
        var command = ((DuckDBConnection)connection).CreateCommand();
        command.CommandText = text;
        command.UseStreamingMode = streaming;
        // DuckDB.NET binds unnamed parameters by position: the i-th one is $i. Values are already the CLR
        // types DuckDB binds natively (long, decimal, bool, string, DateOnly, DateTime as TIMESTAMP, TimeSpan as INTERVAL).
        foreach (var parameter in parameters)
            command.Parameters.Add(new DuckDBParameter(parameter.Value ?? DBNull.Value));
        return command;
    }

    protected internal override ColumnReader[] CreateColumnReaders(DbDataReader reader)
    {
        var readers = base.CreateColumnReaders(reader);
        for (var i = 0; i < readers.Length; i++)
            readers[i] = DuckDbColumns.ReaderFor(reader.GetFieldType(i)) ?? readers[i];
        return readers;
    }

    protected internal override WarehouseException? Translate(Exception exception) => exception switch
    {
        DuckDBException e => DuckDbErrors.Translate(e, this),
        _ => null,
    };

    internal WarehouseException EngineErrorFor(WarehouseErrorKind kind, string? code, string message, bool isTransient, Exception inner) =>
        EngineError(kind, code, message, isTransient, inner);

    public override async Task<WarehouseCatalog> IntrospectAsync(string? schema = null, CancellationToken cancellationToken = default)
    {
        var filter = schema is null ? "" : "AND t.table_schema = $1";
        var sql = $"""
            SELECT t.table_schema, t.table_name, t.table_type = 'VIEW', c.column_name, c.data_type
            FROM information_schema.tables t
            JOIN information_schema.columns c
              ON c.table_catalog = t.table_catalog AND c.table_schema = t.table_schema AND c.table_name = t.table_name
            WHERE t.table_catalog = current_database()
              AND t.table_schema NOT IN ('information_schema', 'pg_catalog')
              {filter}
            ORDER BY t.table_schema, t.table_name, c.ordinal_position
            """;
        BoundParameter[] parameters = schema is null ? [] : [new BoundParameter(SqlParameterType.String, schema)];
        var rows = await QueryListAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        return BuildCatalog(rows.Select(r => ((string)r[0]!, (string)r[1]!, (bool)r[2]!, (string)r[3]!, (string)r[4]!)));
    }

    public override async Task<ImmutableArray<WarehouseColumn>> DescribeQueryAsync(string selectSql, CancellationToken cancellationToken = default)
    {
        // DESCRIBE binds the query without running it.
        var rows = await QueryListAsync("DESCRIBE " + WrapQuery(selectSql), [], cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new WarehouseColumn((string)r[0]!, (string)r[1]!, DuckDbTypeMap.Map((string)r[1]!)))];
    }

    public override async Task<long> BulkLoadAsync(string tableName, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var table = TableName.Parse(tableName, allowCatalog: true);
        ArgumentNullException.ThrowIfNull(rows);
        BulkColumns.Check(columns);
        await using var connection = (DuckDBConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
        return DuckDbBulkLoader.Load(this, connection, table, columns, rows, cancellationToken);
    }

    public override ValueTask DisposeAsync() => _root.DisposeAsync();
}
