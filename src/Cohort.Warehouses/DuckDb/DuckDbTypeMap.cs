using Cohort.Core.Schema;

namespace Cohort.Warehouses.DuckDb;

/// <summary>Maps DuckDB type names (as information_schema and DESCRIBE spell them) to Cohort types.</summary>
internal static class DuckDbTypeMap
{
    public static DataType? Map(string rawType)
    {
        var type = rawType.Trim();

        // Lists end in "[]", fixed-size arrays in "[N]"; nested types (STRUCT(...), MAP(...)) end in ")".
        if (type.EndsWith(']'))
        {
            var open = type.LastIndexOf('[');
            return open > 0 ? WarehouseTypes.ArrayOf(Map(type[..open])) : null;
        }

        var paren = type.IndexOf('(', StringComparison.Ordinal);
        var name = (paren < 0 ? type : type[..paren]).Trim().ToUpperInvariant();
        return name switch
        {
            "VARCHAR" or "TEXT" or "STRING" or "CHAR" or "BPCHAR" or "ENUM" => DataType.String,
            "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT"
                or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"
                or "INT" or "INT1" or "INT2" or "INT4" or "INT8" => DataType.Integer,
            "DECIMAL" or "NUMERIC" or "DOUBLE" or "FLOAT" or "REAL" or "FLOAT4" or "FLOAT8" => DataType.Number,
            "BOOLEAN" or "BOOL" => DataType.Boolean,
            "DATE" => DataType.Date,
            "TIMESTAMP" or "DATETIME" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_US" or "TIMESTAMP_NS"
                or "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => DataType.Timestamp,
            _ => null,
        };
    }
}
