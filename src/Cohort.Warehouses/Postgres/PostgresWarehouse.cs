using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using System.Globalization;
using Cohort.Sql;
using Cohort.Warehouses.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Cohort.Warehouses.Postgres;

/// <summary>A PostgreSQL database through a pooled <see cref="NpgsqlDataSource"/>.</summary>
internal sealed class PostgresWarehouse : DbWarehouse
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresWarehouse(NpgsqlDataSource dataSource, bool includeErrorDetail)
        : base(SqlDialectName.Postgres, includeErrorDetail)
    {
        _dataSource = dataSource;
    }

    public static async Task<PostgresWarehouse> OpenAsync(WarehouseOptions options, CancellationToken cancellationToken)
    {
        var warehouse = new PostgresWarehouse(NpgsqlDataSource.Create(ConnectionString(options)), options.IncludeErrorDetail);
        try
        {
            // Fail now on a wrong host, database or password rather than on the first query.
            await using var connection = await warehouse.OpenAsync(cancellationToken).ConfigureAwait(false);
            return warehouse;
        }
        catch
        {
            await warehouse.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static string ConnectionString(WarehouseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            // Sessions in UTC: timestamp and timestamptz convert into each other without shifting.
            Timezone = "UTC",
            // int?[] rather than an exception when an integer array holds a NULL.
            ArrayNullabilityMode = ArrayNullabilityMode.Always,
            // Npgsql's client-side default of 30 s would kill long warehouse queries; the server's
            // statement_timeout (below) is the timeout that applies.
            CommandTimeout = 0,
            IncludeErrorDetail = options.IncludeErrorDetail,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "cohort";
        if (options.Schema is { } schema)
            builder.SearchPath = Identifiers.Quote(schema);
        if (options.StatementTimeout is { } timeout)
        {
            var milliseconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            builder.Options = $"{builder.Options} -c statement_timeout={milliseconds}".Trim();
        }
        return builder.ConnectionString;
    }

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override DbCommand CreateCommand(DbConnection connection, string text, IReadOnlyList<BoundParameter> parameters, bool streaming)
    {
        // Npgsql streams rows from the socket as they are read; `streaming` needs no setting here.
        var command = new NpgsqlCommand(text, (NpgsqlConnection)connection);
        foreach (var parameter in parameters)
        {
            // Unnamed parameters are positional ($1..$n). Typed, so that NULLs bind too.
            command.Parameters.Add(new NpgsqlParameter
            {
                NpgsqlDbType = DbTypeOf(parameter.Type),
                Value = parameter.Value ?? DBNull.Value,
            });
        }
        return command;
    }

    private static NpgsqlDbType DbTypeOf(SqlParameterType type) => type switch
    {
        SqlParameterType.String => NpgsqlDbType.Text,
        SqlParameterType.Integer => NpgsqlDbType.Bigint,
        SqlParameterType.Decimal => NpgsqlDbType.Numeric,
        SqlParameterType.Boolean => NpgsqlDbType.Boolean,
        SqlParameterType.Date => NpgsqlDbType.Date,
        SqlParameterType.Timestamp => NpgsqlDbType.Timestamp,
        SqlParameterType.Interval => NpgsqlDbType.Interval,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    protected internal override WarehouseException? Translate(Exception exception) => exception switch
    {
        PostgresException e => PostgresErrors.Translate(e, this),
        NpgsqlException e => PostgresErrors.TranslateDriver(e),
        _ => null,
    };

    internal bool ShowsErrorDetail => IncludeErrorDetail;

    internal WarehouseException EngineErrorFor(WarehouseErrorKind kind, string? code, string message, bool isTransient, Exception inner) =>
        EngineError(kind, code, message, isTransient, inner);

    public override async Task<WarehouseCatalog> IntrospectAsync(string? schema = null, CancellationToken cancellationToken = default)
    {
        // pg_catalog rather than information_schema: format_type spells arrays and modifiers (numeric(18,4), text[]).
        var filter = schema is null ? "" : "AND n.nspname = $1";
        var sql = $"""
            SELECT n.nspname, c.relname, c.relkind IN ('v', 'm'), a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT c.relispartition
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
              {filter}
            ORDER BY n.nspname, c.relname, a.attnum
            """;
        BoundParameter[] parameters = schema is null ? [] : [new BoundParameter(SqlParameterType.String, schema)];
        var rows = await QueryListAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        return BuildCatalog(rows.Select(r => ((string)r[0]!, (string)r[1]!, (bool)r[2]!, (string)r[3]!, (string)r[4]!)));
    }

    public override async Task<ImmutableArray<WarehouseColumn>> DescribeQueryAsync(string selectSql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, WrapQuery(selectSql), [], streaming: false);
        // SchemaOnly parses and describes the statement without executing it.
        await using var reader = await RunAsync(command, cancellationToken, () => command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken)).ConfigureAwait(false);
        var columns = ImmutableArray.CreateBuilder<WarehouseColumn>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var rawType = reader.GetDataTypeName(i);
            columns.Add(new WarehouseColumn(reader.GetName(i), rawType, PostgresTypeMap.Map(rawType)));
        }
        return columns.MoveToImmutable();
    }

    public override async Task<long> BulkLoadAsync(string tableName, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var table = TableName.Parse(tableName);
        ArgumentNullException.ThrowIfNull(rows);
        BulkColumns.Check(columns);
        await using var connection = (NpgsqlConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PostgresBulkLoader.LoadAsync(connection, table, columns, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
