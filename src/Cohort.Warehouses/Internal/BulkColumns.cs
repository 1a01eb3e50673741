namespace Cohort.Warehouses.Internal;

internal static class BulkColumns
{
    public static void Check(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException(WarehouseMessages.BulkNoColumns, nameof(columns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (string.IsNullOrEmpty(column))
                throw new ArgumentException(WarehouseMessages.BulkNoColumns, nameof(columns));
            if (!seen.Add(column))
                throw new ArgumentException(WarehouseMessages.BulkDuplicateColumn(column), nameof(columns));
        }
    }

    public static void CheckWidth(object?[] row, int expected)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != expected)
            throw new ArgumentException(WarehouseMessages.BulkRowWidth(expected, row.Length), nameof(row));
    }

    public static ArgumentException BadValue(string column, string targetType, object value) =>
        new(WarehouseMessages.BulkValue(column, targetType, value.GetType()));
}
