using System.Collections.Immutable;
using Cohort.Core.Schema;

namespace Cohort.Warehouses;

public enum WarehouseRelationKind
{
    Table,
    View,
}

/// <summary>A column as the warehouse reports it.</summary>
/// <param name="RawType">The warehouse's own spelling, e.g. <c>DECIMAL(18,2)</c> or <c>character varying(20)</c>.</param>
/// <param name="Type">The Cohort type it maps to (docs/schema.md), or null when Cohort does not support it.</param>
public sealed record WarehouseColumn(string Name, string RawType, DataType? Type)
{
    public bool IsSupported => Type is not null;
}

public sealed record WarehouseTable(string Schema, string Name, WarehouseRelationKind Kind, ImmutableArray<WarehouseColumn> Columns)
{
    public WarehouseColumn? FindColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>The tables and views of a warehouse, ordered by schema and name.</summary>
public sealed record WarehouseCatalog(ImmutableArray<WarehouseTable> Tables)
{
    /// <summary>Finds a relation by its exact name; without a schema, only when exactly one schema has it.</summary>
    public WarehouseTable? FindTable(string name, string? schema = null)
    {
        if (schema is not null)
            return Tables.FirstOrDefault(t => t.Schema == schema && t.Name == name);
        var matches = Tables.Where(t => t.Name == name).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}
