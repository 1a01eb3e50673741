using Cohort.Core.Schema;
using Cohort.Sql;
using Cohort.Warehouses.DuckDb;
using Cohort.Warehouses.Postgres;

namespace Cohort.Warehouses;

/// <summary>The type mapping table of docs/schema.md, per dialect.</summary>
public static class WarehouseTypes
{
    /// <summary>The Cohort type of a warehouse type as spelled by the warehouse, or null when unsupported.</summary>
    public static DataType? Map(SqlDialectName dialect, string rawType)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        return dialect switch
        {
            SqlDialectName.DuckDb => DuckDbTypeMap.Map(rawType),
            SqlDialectName.Postgres => PostgresTypeMap.Map(rawType),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, null),
        };
    }

    /// <summary>Arrays of these element types are supported; arrays of anything else are not.</summary>
    internal static DataType? ArrayOf(DataType? element) =>
        element is { IsArray: false, Element: ScalarType.String or ScalarType.Integer or ScalarType.Number } e
            ? DataType.ArrayOf(e.Element)
            : null;
}
