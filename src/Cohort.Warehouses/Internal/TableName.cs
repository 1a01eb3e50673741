namespace Cohort.Warehouses.Internal;

/// <summary>
/// A table reference given as <c>table</c>, <c>schema.table</c> or (DuckDB, for attached databases)
/// <c>catalog.schema.table</c>, spelled as stored.
/// </summary>
internal readonly record struct TableName(string? Schema, string Name, string? Catalog = null)
{
    public static TableName Parse(string text, bool allowCatalog = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length > (allowCatalog ? 3 : 2) || parts.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException(WarehouseMessages.TableName(text), nameof(text));
        return parts.Length switch
        {
            3 => new TableName(parts[1], parts[2], parts[0]),
            2 => new TableName(parts[0], parts[1]),
            _ => new TableName(null, parts[0]),
        };
    }

    /// <summary>Double-quoted, as both DuckDB and PostgreSQL accept.</summary>
    public string Quoted => (Catalog is null ? "" : Identifiers.Quote(Catalog) + ".")
        + (Schema is null ? Identifiers.Quote(Name) : $"{Identifiers.Quote(Schema)}.{Identifiers.Quote(Name)}");

    public override string ToString() => (Catalog is null ? "" : Catalog + ".") + (Schema is null ? Name : $"{Schema}.{Name}");
}

/// <summary>
/// Identifier quoting for the few statements this assembly writes itself (bulk loads, search_path).
/// Compiled SQL is quoted by Cohort.Sql.
/// </summary>
internal static class Identifiers
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
