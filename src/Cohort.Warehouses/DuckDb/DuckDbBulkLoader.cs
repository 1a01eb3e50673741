using System.Collections;
using System.Numerics;
using Cohort.Warehouses.Internal;
using DuckDB.NET.Data;

namespace Cohort.Warehouses.DuckDb;

/// <summary>
/// Loads rows through DuckDB's appender inside a transaction. The appender writes raw vectors and checks
/// little (a double appended to a FLOAT column is silently stored as 0), so every value is converted to the
/// exact CLR type of its column first.
/// </summary>
internal static class DuckDbBulkLoader
{
    private delegate void Append(IDuckDBAppenderRow row, object value);

    public static long Load(
        DuckDbWarehouse owner,
        DuckDBConnection connection,
        TableName table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        try
        {
            return LoadCore(connection, table, columns, rows, cancellationToken);
        }
        catch (Exception e) when (owner.Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    private static long LoadCore(DuckDBConnection connection, TableName table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        // The appender fills every table column in order: named ones from the row, the rest with defaults.
        var layout = ReadLayout(connection, table);
        var source = new int[layout.Count];
        Array.Fill(source, -1);
        for (var i = 0; i < columns.Count; i++)
        {
            var target = IndexOf(layout, columns[i]);
            if (target < 0)
                throw new ArgumentException(WarehouseMessages.BulkUnknownColumn(table.ToString(), columns[i]), nameof(columns));
            source[target] = i;
        }
        var writers = layout.Select(c => WriterFor(c.Name, c.FieldType, c.RawType)).ToArray();

        using var transaction = connection.BeginTransaction();
        long count = 0;
        using (var appender = table switch
               {
                   { Catalog: not null } => connection.CreateAppender(table.Catalog, table.Schema, table.Name),
                   { Schema: not null } => connection.CreateAppender(table.Schema, table.Name),
                   _ => connection.CreateAppender(table.Name),
               })
        {
            foreach (var row in rows)
            {
                BulkColumns.CheckWidth(row, columns.Count);
                if ((count & 0xFFF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                var appenderRow = appender.CreateRow();
                for (var c = 0; c < source.Length; c++)
                {
                    if (source[c] < 0)
                        appenderRow.AppendDefault();
                    else if (row[source[c]] is null or DBNull)
                        appenderRow.AppendNullValue();
                    else
                        writers[c](appenderRow, row[source[c]]!);
                }
                appenderRow.EndRow();
                count++;
            }
        }
        transaction.Commit();
        return count;
    }

    private static int IndexOf(List<(string Name, Type FieldType, string RawType)> layout, string column)
    {
        // DuckDB identifiers are case-insensitive; prefer an exact match when two differ only in case.
        var exact = layout.FindIndex(c => c.Name == column);
        return exact >= 0 ? exact : layout.FindIndex(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
    }

    private static List<(string Name, Type FieldType, string RawType)> ReadLayout(DuckDBConnection connection, TableName table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table.Quoted} LIMIT 0";
        using var reader = command.ExecuteReader();
        var layout = new List<(string, Type, string)>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
            layout.Add((reader.GetName(i), reader.GetFieldType(i), reader.GetDataTypeName(i)));
        return layout;
    }

    private static Append WriterFor(string column, Type type, string rawType)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return ListWriter(column, type.GetGenericArguments()[0], rawType);
        var convert = ScalarConverter(column, type, rawType);
        return type switch
        {
            _ when type == typeof(long) => (r, v) => r.AppendValue((long?)convert(v)),
            _ when type == typeof(int) => (r, v) => r.AppendValue((int?)convert(v)),
            _ when type == typeof(short) => (r, v) => r.AppendValue((short?)convert(v)),
            _ when type == typeof(sbyte) => (r, v) => r.AppendValue((sbyte?)convert(v)),
            _ when type == typeof(byte) => (r, v) => r.AppendValue((byte?)convert(v)),
            _ when type == typeof(ushort) => (r, v) => r.AppendValue((ushort?)convert(v)),
            _ when type == typeof(uint) => (r, v) => r.AppendValue((uint?)convert(v)),
            _ when type == typeof(ulong) => (r, v) => r.AppendValue((ulong?)convert(v)),
            _ when type == typeof(BigInteger) => (r, v) => r.AppendValue((BigInteger?)convert(v)),
            _ when type == typeof(decimal) => (r, v) => r.AppendValue((decimal?)convert(v)),
            _ when type == typeof(double) => (r, v) => r.AppendValue((double?)convert(v)),
            _ when type == typeof(float) => (r, v) => r.AppendValue((float?)convert(v)),
            _ when type == typeof(bool) => (r, v) => r.AppendValue((bool?)convert(v)),
            _ when type == typeof(string) => (r, v) => r.AppendValue((string)convert(v)),
            _ when type == typeof(DateOnly) => (r, v) => r.AppendValue((DuckDB.NET.Native.DuckDBDateOnly?)(DateOnly)convert(v)),
            _ when type == typeof(DateTime) => (r, v) => r.AppendValue((DateTime?)convert(v)),
            _ when type == typeof(Guid) => (r, v) => r.AppendValue((Guid?)convert(v)),
            _ => (_, v) => throw BulkColumns.BadValue(column, rawType, v),
        };
    }

    private static Append ListWriter(string column, Type element, string rawType)
    {
        var convert = ScalarConverter(column, element, rawType);
        return element switch
        {
            _ when element == typeof(long) => (r, v) => r.AppendValue(ValueList<long>(column, rawType, v, convert)),
            _ when element == typeof(int) => (r, v) => r.AppendValue(ValueList<int>(column, rawType, v, convert)),
            _ when element == typeof(short) => (r, v) => r.AppendValue(ValueList<short>(column, rawType, v, convert)),
            _ when element == typeof(decimal) => (r, v) => r.AppendValue(ValueList<decimal>(column, rawType, v, convert)),
            _ when element == typeof(double) => (r, v) => r.AppendValue(ValueList<double>(column, rawType, v, convert)),
            _ when element == typeof(float) => (r, v) => r.AppendValue(ValueList<float>(column, rawType, v, convert)),
            _ when element == typeof(bool) => (r, v) => r.AppendValue(ValueList<bool>(column, rawType, v, convert)),
            _ when element == typeof(DateOnly) => (r, v) => r.AppendValue(ValueList<DateOnly>(column, rawType, v, convert)),
            _ when element == typeof(DateTime) => (r, v) => r.AppendValue(ValueList<DateTime>(column, rawType, v, convert)),
            _ when element == typeof(string) => (r, v) => r.AppendValue(Elements(column, rawType, v).Select(e => e is null ? null : (string)convert(e)).ToList()),
            _ => (_, v) => throw BulkColumns.BadValue(column, rawType, v),
        };
    }

    private static List<T?> ValueList<T>(string column, string rawType, object value, Func<object, object> convert) where T : struct =>
        Elements(column, rawType, value).Select(e => e is null ? (T?)null : (T)convert(e)).ToList();

    private static IEnumerable<object?> Elements(string column, string rawType, object value) =>
        value is IEnumerable items and not string
            ? items.Cast<object?>().Select(e => e is DBNull ? null : e)
            : throw BulkColumns.BadValue(column, rawType, value);

    /// <summary>Converts a non-null value to exactly <paramref name="type"/>, or throws naming the column.</summary>
    private static Func<object, object> ScalarConverter(string column, Type type, string rawType)
    {
        object Fail(object v) => throw BulkColumns.BadValue(column, rawType, v);
        object Integer(object v, long min, long max, Func<long, object> box) =>
            ValueConvert.TryInt64(v, out var l) && l >= min && l <= max ? box(l) : Fail(v);

        return type switch
        {
            _ when type == typeof(long) => v => ValueConvert.TryInt64(v, out var l) ? l : Fail(v),
            _ when type == typeof(int) => v => Integer(v, int.MinValue, int.MaxValue, l => (int)l),
            _ when type == typeof(short) => v => Integer(v, short.MinValue, short.MaxValue, l => (short)l),
            _ when type == typeof(sbyte) => v => Integer(v, sbyte.MinValue, sbyte.MaxValue, l => (sbyte)l),
            _ when type == typeof(byte) => v => Integer(v, byte.MinValue, byte.MaxValue, l => (byte)l),
            _ when type == typeof(ushort) => v => Integer(v, ushort.MinValue, ushort.MaxValue, l => (ushort)l),
            _ when type == typeof(uint) => v => Integer(v, uint.MinValue, uint.MaxValue, l => (uint)l),
            _ when type == typeof(ulong) => v => v is ulong u ? u : Integer(v, 0, long.MaxValue, l => (ulong)l),
            _ when type == typeof(BigInteger) => v => v is BigInteger b ? b : ValueConvert.TryInt64(v, out var l) ? new BigInteger(l) : Fail(v),
            _ when type == typeof(decimal) => v => ValueConvert.TryDecimal(v, out var d) ? d : Fail(v),
            _ when type == typeof(double) => v => ValueConvert.TryDouble(v, out var d) ? d : Fail(v),
            _ when type == typeof(float) => v => ValueConvert.TryDouble(v, out var d) ? (float)d : Fail(v),
            _ when type == typeof(bool) => v => v is bool b ? b : Fail(v),
            _ when type == typeof(string) => v => v as string ?? Fail(v),
            _ when type == typeof(DateOnly) => v => ValueConvert.TryDateOnly(v, out var d) ? d : Fail(v),
            // TIMESTAMP and TIMESTAMPTZ both store the UTC instant; the session zone is UTC.
            _ when type == typeof(DateTime) => v => ValueConvert.TryUtcDateTime(v, out var t) ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : Fail(v),
            _ when type == typeof(Guid) => v => v is Guid g ? g : Fail(v),
            _ => Fail,
        };
    }
}
