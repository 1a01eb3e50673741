namespace Cohort.Warehouses.Internal;

/// <summary>A table reference given as <c>table</c> or <c>schema.table</c>, spelled as stored.</summary>
internal readonly record struct TableName(string? Schema, string Name)
{
    public static TableName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length > 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException(WarehouseMessages.TableName(text), nameof(text));
        return parts.Length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
    }

    /// <summary>Double-quoted, as both DuckDB and PostgreSQL accept.</summary>
    public string Quoted => Schema is null ? Identifiers.Quote(Name) : $"{Identifiers.Quote(Schema)}.{Identifiers.Quote(Name)}";

    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}

/// <summary>
/// Identifier quoting for the few statements this assembly writes itself (bulk loads, search_path).
/// Compiled SQL is quoted by Cohort.Sql.
/// </summary>
internal static class Identifiers
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
