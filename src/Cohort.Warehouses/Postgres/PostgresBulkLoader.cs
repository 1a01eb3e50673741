using System.Collections;
using System.Data;
using Cohort.Warehouses.Internal;
using Npgsql;

namespace Cohort.Warehouses.Postgres;

/// <summary>
/// Loads rows with binary COPY. Binary COPY sends each value in its column's exact wire format, so values
/// are converted to the CLR type Npgsql writes for that PostgreSQL type. An exception before completion
/// aborts the COPY: nothing is loaded.
/// </summary>
internal static class PostgresBulkLoader
{
    public static async Task<long> LoadAsync(
        NpgsqlConnection connection,
        TableName table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(connection, table, cancellationToken).ConfigureAwait(false);
        var types = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            // PostgreSQL names are case-sensitive once stored; match them exactly.
            if (!layout.TryGetValue(columns[i], out var type))
                throw new ArgumentException(WarehouseMessages.BulkUnknownColumn(table.ToString(), columns[i]), nameof(columns));
            types[i] = type;
        }
        var converters = columns.Select((c, i) => ConverterFor(c, types[i])).ToArray();

        var columnList = string.Join(", ", columns.Select(Identifiers.Quote));
        var copy = $"COPY {table.Quoted} ({columnList}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        long count = 0;
        foreach (var row in rows)
        {
            BulkColumns.CheckWidth(row, columns.Count);
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null or DBNull)
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                else
                    await importer.WriteAsync(converters[i](row[i]!), types[i], cancellationToken).ConfigureAwait(false);
            }
            count++;
        }
        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static async Task<Dictionary<string, string>> ReadLayoutAsync(NpgsqlConnection connection, TableName table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT * FROM {table.Quoted} LIMIT 0", connection);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken).ConfigureAwait(false);
        var layout = new Dictionary<string, string>(StringComparer.Ordinal);
        // DataTypeName here has no modifiers ("numeric", "character varying", "text[]"): the names COPY writers take.
        foreach (var column in await reader.GetColumnSchemaAsync(cancellationToken).ConfigureAwait(false))
            layout[column.ColumnName] = column.DataTypeName!;
        return layout;
    }

    private static Func<object, object> ConverterFor(string column, string type)
    {
        if (type.EndsWith("[]", StringComparison.Ordinal))
            return ArrayConverter(column, type, type[..^2]);
        return ScalarConverter(column, type) ?? (v => v);
    }

    private static Func<object, object> ArrayConverter(string column, string arrayType, string elementType)
    {
        var convert = ScalarConverter(column, elementType) ?? (v => v);
        IEnumerable<object?> Elements(object v) => v is IEnumerable items and not string
            ? items.Cast<object?>().Select(e => e is DBNull ? null : e)
            : throw BulkColumns.BadValue(column, arrayType, v);
        TElement?[] Values<TElement>(object v) where TElement : struct =>
            [.. Elements(v).Select(e => e is null ? (TElement?)null : (TElement)convert(e))];

        return elementType switch
        {
            "smallint" => v => Values<short>(v),
            "integer" => v => Values<int>(v),
            "bigint" => v => Values<long>(v),
            "numeric" => v => Values<decimal>(v),
            "real" => v => Values<float>(v),
            "double precision" => v => Values<double>(v),
            "boolean" => v => Values<bool>(v),
            "date" => v => Values<DateOnly>(v),
            "timestamp without time zone" or "timestamp with time zone" => v => Values<DateTime>(v),
            "text" or "character varying" or "character" => v => Elements(v).Select(e => e is null ? null : (string)convert(e)).ToArray(),
            _ => v => v,
        };
    }

    /// <summary>Null for types Cohort does not map: their values go to Npgsql unchanged.</summary>
    private static Func<object, object>? ScalarConverter(string column, string type)
    {
        object Fail(object v) => throw BulkColumns.BadValue(column, type, v);
        object Integer(object v, long min, long max, Func<long, object> box) =>
            ValueConvert.TryInt64(v, out var l) && l >= min && l <= max ? box(l) : Fail(v);

        return type switch
        {
            "smallint" => v => Integer(v, short.MinValue, short.MaxValue, l => (short)l),
            "integer" => v => Integer(v, int.MinValue, int.MaxValue, l => (int)l),
            "bigint" => v => Integer(v, long.MinValue, long.MaxValue, l => l),
            "numeric" => v => ValueConvert.TryDecimal(v, out var d) ? d : Fail(v),
            "real" => v => ValueConvert.TryDouble(v, out var d) ? (float)d : Fail(v),
            "double precision" => v => ValueConvert.TryDouble(v, out var d) ? d : Fail(v),
            "boolean" => v => v is bool ? v : Fail(v),
            "text" or "character varying" or "character" => v => v as string ?? Fail(v),
            "date" => v => ValueConvert.TryDateOnly(v, out var d) ? d : Fail(v),
            // Npgsql writes `timestamp` from Unspecified and `timestamptz` from Utc DateTimes, nothing else.
            "timestamp without time zone" => v => ValueConvert.TryUtcDateTime(v, out var t) ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : Fail(v),
            "timestamp with time zone" => v => ValueConvert.TryUtcDateTime(v, out var t) ? t : Fail(v),
            _ => null,
        };
    }
}
