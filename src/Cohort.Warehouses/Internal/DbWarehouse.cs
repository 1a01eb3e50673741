using System.Collections.Immutable;
using System.Data.Common;
using Cohort.Sql;

namespace Cohort.Warehouses.Internal;

/// <summary>Reads one column of the current row and returns its normalised value.</summary>
internal delegate object? ColumnReader(DbDataReader reader, int ordinal);

/// <summary>
/// What the two ADO.NET connectors share: binding, execution, streaming, scalar reads and error translation.
/// Each engine supplies connections, commands, column readers, error mapping, introspection and bulk loads.
/// </summary>
internal abstract class DbWarehouse : IWarehouse
{
    protected DbWarehouse(SqlDialectName dialect, bool includeErrorDetail)
    {
        Dialect = dialect;
        IncludeErrorDetail = includeErrorDetail;
    }

    public SqlDialectName Dialect { get; }

    protected bool IncludeErrorDetail { get; }

    /// <summary>True when the driver ignores cancellation tokens, so they must be wired to <see cref="DbCommand.Cancel"/>.</summary>
    protected virtual bool CancelsThroughCommand => false;

    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract DbCommand CreateCommand(DbConnection connection, string text, IReadOnlyList<BoundParameter> parameters, bool streaming);

    /// <summary>Translates a driver exception into a <see cref="WarehouseException"/>, or returns null to let it pass.</summary>
    protected internal abstract WarehouseException? Translate(Exception exception);

    protected internal virtual ColumnReader[] CreateColumnReaders(DbDataReader reader)
    {
        var readers = new ColumnReader[reader.FieldCount];
        Array.Fill(readers, static (r, i) => ValueNormalizer.Normalize(r.GetValue(i)));
        return readers;
    }

    public abstract Task<WarehouseCatalog> IntrospectAsync(string? schema = null, CancellationToken cancellationToken = default);

    public abstract Task<ImmutableArray<WarehouseColumn>> DescribeQueryAsync(string selectSql, CancellationToken cancellationToken = default);

    public abstract Task<long> BulkLoadAsync(string tableName, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    public async Task<long> ExecuteAsync(CompiledSql sql, CancellationToken cancellationToken = default)
    {
        var parameters = ParameterBinder.Bind(sql, Dialect);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, sql.Text, parameters, streaming: false);
        var rows = await RunAsync(command, cancellationToken, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
        return Math.Max(rows, 0);
    }

    public async Task ExecuteScriptAsync(string script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (string.IsNullOrWhiteSpace(script))
            throw new ArgumentException(WarehouseMessages.EmptyScript, nameof(script));
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, script, [], streaming: false);
        await RunAsync(command, cancellationToken, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(CompiledSql sql, CancellationToken cancellationToken = default)
    {
        var parameters = ParameterBinder.Bind(sql, Dialect);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, sql.Text, parameters, streaming: false);
        await using var reader = await RunAsync(command, cancellationToken, () => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        if (reader.FieldCount == 0 || !await RunAsync(command, cancellationToken, () => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
            return null;
        return ReadColumn(reader, 0, CreateColumnReaders(reader)[0]);
    }

    public async Task<WarehouseReader> OpenReaderAsync(CompiledSql sql, CancellationToken cancellationToken = default)
    {
        var parameters = ParameterBinder.Bind(sql, Dialect);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        DbCommand? command = null;
        try
        {
            command = CreateCommand(connection, sql.Text, parameters, streaming: true);
            var open = command;
            var reader = await RunAsync(command, cancellationToken, () => open.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
            return new WarehouseReader(this, connection, command, reader);
        }
        catch
        {
            if (command is not null)
                await command.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a connection, translating driver failures.</summary>
    protected async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs one driver call with cancellation wired up and driver failures translated.</summary>
    protected internal async Task<T> RunAsync<T>(DbCommand command, CancellationToken cancellationToken, Func<Task<T>> call)
    {
        var registration = CancelsThroughCommand && cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static c => ((DbCommand)c!).Cancel(), command)
            : default;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The driver reported our own cancellation as an engine error ("interrupted").
            throw new OperationCanceledException(null, e, cancellationToken);
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal object? ReadColumn(DbDataReader reader, int ordinal, ColumnReader read)
    {
        try
        {
            return read(reader, ordinal);
        }
        catch (OverflowException e)
        {
            throw new WarehouseException(
                WarehouseMessages.ValueOutOfRange(reader.GetName(ordinal), reader.GetDataTypeName(ordinal)),
                Dialect, WarehouseErrorKind.InvalidData, null, isTransient: false, IncludeErrorDetail ? e : null);
        }
        catch (InvalidCastException e)
        {
            throw new WarehouseException(
                WarehouseMessages.ValueUnreadable(reader.GetName(ordinal), reader.GetDataTypeName(ordinal)),
                Dialect, WarehouseErrorKind.InvalidData, null, isTransient: false, IncludeErrorDetail ? e : null);
        }
    }

    /// <summary>Runs an internal query (introspection) and returns its normalised rows.</summary>
    protected async Task<List<object?[]>> QueryListAsync(string text, IReadOnlyList<BoundParameter> parameters, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = CreateCommand(connection, text, parameters, streaming: false);
        await using var reader = await RunAsync(command, cancellationToken, () => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        var columns = CreateColumnReaders(reader);
        while (await RunAsync(command, cancellationToken, () => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = ReadColumn(reader, i, columns[i]);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Builds the catalog from rows of (schema, relation, is view, column, raw type), in order.</summary>
    protected WarehouseCatalog BuildCatalog(IEnumerable<(string Schema, string Table, bool IsView, string Column, string RawType)> rows)
    {
        var tables = ImmutableArray.CreateBuilder<WarehouseTable>();
        foreach (var group in rows.GroupBy(r => (r.Schema, r.Table, r.IsView)))
        {
            var columns = group.Select(r => new WarehouseColumn(r.Column, r.RawType, WarehouseTypes.Map(Dialect, r.RawType))).ToImmutableArray();
            var kind = group.Key.IsView ? WarehouseRelationKind.View : WarehouseRelationKind.Table;
            tables.Add(new WarehouseTable(group.Key.Schema, group.Key.Table, kind, columns));
        }
        return new WarehouseCatalog(tables.ToImmutable());
    }

    /// <summary>A SELECT wrapped so that nothing but a single query can be described (no trailing statements, no DML).</summary>
    protected static string WrapQuery(string selectSql)
    {
        ArgumentNullException.ThrowIfNull(selectSql);
        var trimmed = selectSql.Trim().TrimEnd(';').TrimEnd();
        if (trimmed.Length == 0)
            throw new ArgumentException(WarehouseMessages.EmptyScript, nameof(selectSql));
        return $"SELECT * FROM (\n{trimmed}\n) AS cohort_described";
    }

    /// <summary>The message of a translated engine error: the vendor's text only where it cannot hold row values.</summary>
    protected WarehouseException EngineError(WarehouseErrorKind kind, string? code, string vendorMessage, bool isTransient, Exception inner)
    {
        var mayHoldData = kind is WarehouseErrorKind.InvalidData or WarehouseErrorKind.Constraint or WarehouseErrorKind.Other;
        if (mayHoldData && !IncludeErrorDetail)
            return new WarehouseException(WarehouseMessages.FailedWithheld(Dialect, kind, code), Dialect, kind, code, isTransient);
        return new WarehouseException(WarehouseMessages.Failed(Dialect, code, vendorMessage), Dialect, kind, code, isTransient, inner);
    }
}
