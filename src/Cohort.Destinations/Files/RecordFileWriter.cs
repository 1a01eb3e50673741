using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cohort.Core.Schema;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Values;
using Parquet;
using Parquet.Schema;

namespace Cohort.Destinations.Files;

/// <summary>Writes batches of records to one file in one format.</summary>
internal abstract class RecordFileWriter : IAsyncDisposable
{
    protected RecordFileWriter(FileStream stream, RecordColumns columns)
    {
        Stream = stream;
        Columns = columns;
    }

    protected FileStream Stream { get; }

    protected RecordColumns Columns { get; }

    public static async Task<RecordFileWriter> OpenAsync(FileFormat format, string path, RecordColumns columns, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        try
        {
            RecordFileWriter writer = format switch
            {
                FileFormat.JsonLines => new JsonLinesWriter(stream, columns),
                FileFormat.Parquet => await ParquetFileWriter.CreateAsync(stream, columns, cancellationToken).ConfigureAwait(false),
                _ => new CsvWriter(stream, columns),
            };
            await writer.StartAsync(cancellationToken).ConfigureAwait(false);
            return writer;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task WriteAsync(DestinationBatch batch, CancellationToken cancellationToken);

    /// <summary>Writes what is buffered and any footer, then flushes the file to disk.</summary>
    public virtual async Task FinishAsync(CancellationToken cancellationToken)
    {
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Stream.Flush(flushToDisk: true);
    }

    public virtual ValueTask DisposeAsync() => Stream.DisposeAsync();

    protected static string OperationName(BatchOperation operation) => operation.ToString().ToLowerInvariant();

    protected static string? Identifier(OutboundRecord record, IdentifierType type) => record.Identifiers.GetValueOrDefault(type);
}

/// <summary>RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line break; UTF-8 without BOM.</summary>
internal sealed class CsvWriter(FileStream stream, RecordColumns columns) : RecordFileWriter(stream, columns)
{
    private readonly StreamWriter _text = new(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

    protected override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _text.WriteAsync(string.Join(",", Columns.Names.Select(Quote))).ConfigureAwait(false);
        await _text.WriteAsync("\r\n").ConfigureAwait(false);
    }

    public override async Task WriteAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        var line = new StringBuilder(256);
        foreach (var record in batch.Records)
        {
            line.Clear();
            line.Append(OperationName(batch.Operation)).Append(',').Append(Quote(record.Key));
            foreach (var field in Columns.Fields)
                line.Append(',').Append(Quote(JsonValues.Text(record.Fields.GetValueOrDefault(field.Name))));
            foreach (var type in Columns.Identifiers)
                line.Append(',').Append(Quote(Identifier(record, type)));
            line.Append("\r\n");
            await _text.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _text.FlushAsync(cancellationToken).ConfigureAwait(false);
        await base.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _text.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static string Quote(string? value)
    {
        if (value is null) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 && value.Length > 0 && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>JSON Lines: one object per line, <c>{"operation", "key", "fields": {...}, "identifiers": {...}}</c>.</summary>
internal sealed class JsonLinesWriter(FileStream stream, RecordColumns columns) : RecordFileWriter(stream, columns)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public override async Task WriteAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(batch.Records.Length * 160);
        var operation = OperationName(batch.Operation);
        foreach (var record in batch.Records)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("operation", operation);
                json.WriteString("key", record.Key);
                json.WriteStartObject("fields");
                foreach (var field in Columns.Fields)
                {
                    json.WritePropertyName(field.Name);
                    JsonValues.Write(json, record.Fields.GetValueOrDefault(field.Name));
                }
                json.WriteEndObject();
                json.WriteStartObject("identifiers");
                foreach (var (type, value) in record.Identifiers.OrderBy(i => i.Key))
                    json.WriteString(IdentifierTypes.NameOf(type), value);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            buffer.Write(NewLine);
        }
        await Stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Parquet (Parquet.Net): one row group per batch. Column types follow the mapped fields' types: integer → INT64,
/// number → DOUBLE, boolean → BOOLEAN, timestamp → TIMESTAMP (UTC), everything else (text, dates as ISO text, lists as
/// JSON text) → UTF-8 string. Every column is nullable except operation and key.
/// </summary>
internal sealed class ParquetFileWriter : RecordFileWriter
{
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;

    private ParquetFileWriter(FileStream stream, RecordColumns columns, ParquetWriter writer, DataField[] fields) : base(stream, columns)
    {
        _writer = writer;
        _fields = fields;
    }

    public static async Task<ParquetFileWriter> CreateAsync(FileStream stream, RecordColumns columns, CancellationToken cancellationToken)
    {
        var fields = new List<DataField>
        {
            new DataField<string>(RecordColumns.Operation, false),
            new DataField<string>(RecordColumns.Key, false),
        };
        foreach (var field in columns.Fields)
        {
            fields.Add(Kind(field.Type) switch
            {
                ScalarType.Integer => new DataField<long?>(field.Name),
                ScalarType.Number => new DataField<double?>(field.Name),
                ScalarType.Boolean => new DataField<bool?>(field.Name),
                ScalarType.Timestamp => new DataField<DateTime?>(field.Name),
                _ => new DataField<string>(field.Name, true),
            });
        }
        foreach (var type in columns.Identifiers) fields.Add(new DataField<string>(RecordColumns.IdentifierColumn(type), true));
        var schema = new ParquetSchema(fields.ToArray<Field>());
        var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ParquetFileWriter(stream, columns, writer, [.. fields]);
    }

    private static ScalarType Kind(DataType? type) => type is { IsArray: false } t ? t.Element : ScalarType.String;

    public override async Task WriteAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        var records = batch.Records;
        using var group = _writer.CreateRowGroup();
        var operation = OperationName(batch.Operation);
        await group.WriteAsync(_fields[0], records.Select(_ => operation).ToArray()).ConfigureAwait(false);
        await group.WriteAsync(_fields[1], records.Select(r => r.Key).ToArray()).ConfigureAwait(false);
        var index = 2;
        foreach (var field in Columns.Fields)
        {
            var values = records.Select(r => r.Fields.GetValueOrDefault(field.Name)).ToArray();
            var target = _fields[index++];
            switch (Kind(field.Type))
            {
                case ScalarType.Integer:
                    await group.WriteAsync(target, (ReadOnlyMemory<long?>)values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case ScalarType.Number:
                    await group.WriteAsync(target, (ReadOnlyMemory<double?>)values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case ScalarType.Boolean:
                    await group.WriteAsync(target, (ReadOnlyMemory<bool?>)values.Select(v => v as bool?).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case ScalarType.Timestamp:
                    await group.WriteAsync(target, (ReadOnlyMemory<DateTime?>)values.Select(Timestamp).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await group.WriteAsync(target, values.Select(JsonValues.Text).ToArray()).ConfigureAwait(false);
                    break;
            }
        }
        foreach (var type in Columns.Identifiers)
            await group.WriteAsync(_fields[index++], records.Select(r => Identifier(r, type)).ToArray()).ConfigureAwait(false);
    }

    private static DateTime? Timestamp(object? value) => value switch
    {
        null => null,
        DateTime t => t.ToUniversalTime(),
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => null,
    };

    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await base.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
