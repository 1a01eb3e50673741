using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Cohort.Core.Schema;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Values;
using Npgsql;
using NpgsqlTypes;

namespace Cohort.Destinations.Postgres;

/// <summary>
/// Keeps a PostgreSQL table in step: upsert, update, insert, delete or archive by key, one transaction per batch.
/// Each batch travels as one <c>jsonb</c> parameter expanded with <c>jsonb_populate_recordset</c>, so PostgreSQL
/// converts every value to its column's type. A batch the database refuses (a value that does not convert, a
/// constraint) fails whole and is split by the engine to find the rows at fault.
/// </summary>
public sealed class PostgresTableDestination : IDestination
{
    public const string TypeName = "postgres";

    private static readonly ImmutableArray<BatchOperation> AllOperations =
        [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert, BatchOperation.Update, BatchOperation.Insert, BatchOperation.Delete, BatchOperation.Archive];

    private readonly NpgsqlDataSource _source;
    private readonly DestinationContext _context;
    private readonly string _table;
    private readonly string _quotedTable;
    private readonly string _key;
    private readonly string _archiveColumn;
    private readonly bool _createTable;
    private readonly SemaphoreSlim _prepare = new(1, 1);
    private HashSet<string>? _columns;

    private PostgresTableDestination(NpgsqlDataSource source, DestinationContext context, string table, string key, string archiveColumn, bool createTable, int batchSize)
    {
        _source = source;
        _context = context;
        _table = table;
        _quotedTable = QuoteQualified(table);
        _key = key;
        _archiveColumn = archiveColumn;
        _createTable = createTable;
        Descriptor = new DestinationDescriptor(TypeName, AllOperations, batchSize, MaxConcurrentRequests: 1);
    }

    public DestinationDescriptor Descriptor { get; }

    public static DestinationType Type { get; } = new(
        TypeName,
        "Upserts, updates, inserts, deletes or archives rows of a PostgreSQL table by key.",
        [
            SettingSpec.Secret("connection_string", "the Npgsql connection string"),
            SettingSpec.Text("table", "the target table, as table or schema.table", required: true),
            SettingSpec.Text("key_column", "the column holding the sync key (unique)", @default: "key"),
            SettingSpec.Boolean("create_table", "create the table (key as primary key, one column per field) when it is missing", false),
            SettingSpec.Text("archive_column", "the timestamp column set when a record is archived", @default: "archived_at"),
            SettingSpec.Integer("batch_size", "records per transaction", 1, 100_000, 1_000),
        ],
        AllOperations,
        (settings, context, _) => ValueTask.FromResult<IDestination>(Create(settings, context)));

    public static PostgresTableDestination Create(DestinationSettings settings, DestinationContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        NpgsqlDataSource source;
        try
        {
            source = NpgsqlDataSource.Create(settings.RequiredText("connection_string"));
        }
        catch (ArgumentException e)
        {
            throw new DestinationException($"Destination '{settings.Destination}': the connection string cannot be read ({e.Message}).", DestinationErrorClass.AuthOrConfig, innerException: e);
        }
        return new PostgresTableDestination(source, context, settings.RequiredText("table"), settings.Text("key_column") ?? "key",
            settings.Text("archive_column") ?? "archived_at", settings.Boolean("create_table", false), settings.Integer("batch_size", 1_000));
    }

    public async Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            var columns = await ColumnsAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await ApplyAsync(connection, transaction, batch, columns, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (Classify(e) is { } failure)
        {
            throw failure;
        }
    }

    private async Task<BatchResult> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DestinationBatch batch, HashSet<string> columns, CancellationToken cancellationToken)
    {
        var written = new List<string> { _key };
        written.AddRange(_context.Fields.Select(f => f.Name).Where(f => f != _key));
        var key = Quote(_key);
        var rows = $"jsonb_populate_recordset(NULL::{_quotedTable}, $1) AS r";
        var names = string.Join(", ", written.Select(Quote));
        var values = string.Join(", ", written.Select(c => "r." + Quote(c)));
        var updates = written.Where(c => c != _key).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}").ToList();
        var archived = columns.Contains(_archiveColumn);
        if (archived) updates.Add($"{Quote(_archiveColumn)} = NULL");
        string sql;
        var returnsKeys = false;
        object? second = null;
        switch (batch.Operation)
        {
            case BatchOperation.Upsert or BatchOperation.Add:
                sql = $"INSERT INTO {_quotedTable} ({names}) SELECT {values} FROM {rows} ON CONFLICT ({key}) DO "
                      + (updates.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", updates));
                break;
            case BatchOperation.Insert:
                sql = $"INSERT INTO {_quotedTable} ({names}) SELECT {values} FROM {rows} ON CONFLICT ({key}) DO NOTHING";
                break;
            case BatchOperation.Update:
                var sets = written.Where(c => c != _key).Select(c => $"{Quote(c)} = r.{Quote(c)}").ToList();
                if (archived) sets.Add($"{Quote(_archiveColumn)} = NULL");
                if (sets.Count == 0) sets.Add($"{key} = t.{key}");
                sql = $"UPDATE {_quotedTable} AS t SET {string.Join(", ", sets)} FROM {rows} WHERE t.{key} = r.{key} RETURNING t.{key}::text";
                returnsKeys = true;
                break;
            case BatchOperation.Delete or BatchOperation.Remove:
                sql = $"DELETE FROM {_quotedTable} AS t USING {rows} WHERE t.{key} = r.{key}";
                break;
            case BatchOperation.Archive:
                if (!archived)
                    throw new DestinationException(DestinationMessages.NoArchiveColumn(_context.DestinationName, _table, _archiveColumn), DestinationErrorClass.AuthOrConfig);
                sql = $"UPDATE {_quotedTable} AS t SET {Quote(_archiveColumn)} = $2 FROM {rows} WHERE t.{key} = r.{key}";
                second = _context.Time.GetUtcNow().UtcDateTime;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(batch), batch.Operation, null);
        }
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Rows(batch, written) });
        if (second is not null) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = second });
        if (!returnsKeys)
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return BatchResult.AllSucceeded(batch);
        }
        var updated = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) updated.Add(reader.GetString(0));
        }
        return new BatchResult([.. batch.Records.Select(r => updated.Contains(r.Key) ? RecordResult.Ok(r.Key) : new RecordResult(r.Key, RecordOutcome.Rejected, DestinationMessages.NoSuchRecord))]);
    }

    private string Rows(DestinationBatch batch, List<string> written)
    {
        var buffer = new ArrayBufferWriter<byte>(batch.Records.Length * 128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in batch.Records)
            {
                json.WriteStartObject();
                json.WriteString(_key, record.Key);
                foreach (var column in written.Skip(1))
                {
                    json.WritePropertyName(column);
                    JsonValues.Write(json, record.Fields.GetValueOrDefault(column));
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The table's columns, read (and the table created, when configured) before the first batch.</summary>
    private async Task<HashSet<string>> ColumnsAsync(CancellationToken cancellationToken)
    {
        if (_columns is not null) return _columns;
        await _prepare.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_columns is not null) return _columns;
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var columns = await ReadColumnsAsync(connection, cancellationToken).ConfigureAwait(false);
            if (columns.Count == 0)
            {
                if (!_createTable)
                    throw new DestinationException(DestinationMessages.PostgresNoTable(_context.DestinationName, _table), DestinationErrorClass.AuthOrConfig);
                await using (var create = new NpgsqlCommand(CreateTableSql(), connection))
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                columns = await ReadColumnsAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            var missing = _context.Fields.Select(f => f.Name).Prepend(_key).Where(c => !columns.Contains(c)).ToList();
            if (missing.Count > 0)
                throw new DestinationException(DestinationMessages.PostgresMissingColumns(_context.DestinationName, _table, missing), DestinationErrorClass.AuthOrConfig);
            return _columns = columns;
        }
        finally
        {
            _prepare.Release();
        }
    }

    private async Task<HashSet<string>> ReadColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = _quotedTable });
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) columns.Add(reader.GetString(0));
        return columns;
    }

    private string CreateTableSql()
    {
        var columns = new List<string> { $"{Quote(_key)} text PRIMARY KEY" };
        columns.AddRange(_context.Fields.Where(f => f.Name != _key).Select(f => $"{Quote(f.Name)} {ColumnType(f.Type)}"));
        if (_context.Fields.All(f => f.Name != _archiveColumn)) columns.Add($"{Quote(_archiveColumn)} timestamptz");
        return $"CREATE TABLE IF NOT EXISTS {_quotedTable} ({string.Join(", ", columns)})";
    }

    private static string ColumnType(DataType? type)
    {
        if (type is not { } t) return "text";
        var element = t.Element switch
        {
            ScalarType.Integer => "bigint",
            ScalarType.Number => "numeric",
            ScalarType.Boolean => "boolean",
            ScalarType.Date => "date",
            ScalarType.Timestamp => "timestamptz",
            _ => "text",
        };
        return t.IsArray ? element + "[]" : element;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteQualified(string table)
    {
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Quote(table) : $"{Quote(table[..dot])}.{Quote(table[(dot + 1)..])}";
    }

    /// <summary>
    /// SQLSTATE classes 22 (data) and 23 (constraints) reject the batch (the engine splits it); 08, 40, 53, 57 and
    /// driver-level transient errors are retried; authentication, missing objects, privileges and other statement
    /// errors are configuration, which stops the sync.
    /// </summary>
    private DestinationException? Classify(Exception exception)
    {
        var name = _context.DestinationName;
        switch (exception)
        {
            case DestinationException:
                return null;
            case PostgresException pg:
                var errorClass = pg.SqlState[..2] switch
                {
                    "22" or "23" => DestinationErrorClass.Permanent,
                    "08" or "40" or "53" or "55" or "57" or "58" => DestinationErrorClass.Transient,
                    _ => DestinationErrorClass.AuthOrConfig,
                };
                // Data and constraint errors can quote the row's values in their text: name only the constraint or column.
                var message = pg.SqlState == "42P10"
                    ? DestinationMessages.PostgresNoKeyConstraint(name, _table, _key)
                    : errorClass == DestinationErrorClass.Permanent
                        ? DestinationMessages.PostgresRejected(name, pg.SqlState, pg.ConstraintName, pg.ColumnName)
                        : DestinationMessages.PostgresFailed(name, pg.SqlState, pg.MessageText);
                return new DestinationException(message, errorClass, vendorCode: pg.SqlState, innerException: pg);
            case NpgsqlException npgsql:
                return new DestinationException(DestinationMessages.PostgresUnavailable(name, npgsql.Message),
                    npgsql.IsTransient ? DestinationErrorClass.Transient : DestinationErrorClass.AuthOrConfig, innerException: npgsql);
            case TimeoutException or IOException:
                return new DestinationException(DestinationMessages.PostgresUnavailable(name, exception.Message), DestinationErrorClass.Transient, innerException: exception);
            default:
                return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _prepare.Dispose();
        await _source.DisposeAsync().ConfigureAwait(false);
    }
}
