using System.Text.RegularExpressions;
using Cohort.Core.Schema;

namespace Cohort.Warehouses.Postgres;

/// <summary>Maps PostgreSQL type names (as format_type and Npgsql spell them) to Cohort types.</summary>
internal static partial class PostgresTypeMap
{
    public static DataType? Map(string rawType)
    {
        var type = rawType.Trim();
        if (type.EndsWith("[]", StringComparison.Ordinal))
            return WarehouseTypes.ArrayOf(Map(type[..^2]));

        // Drop modifiers: numeric(18,4), character varying(20), timestamp(3) without time zone.
        var name = Spaces().Replace(Modifier().Replace(type, " "), " ").Trim().ToLowerInvariant();
        return name switch
        {
            "text" or "character varying" or "varchar" or "character" or "char" or "bpchar" => DataType.String,
            "smallint" or "integer" or "bigint" or "int" or "int2" or "int4" or "int8" => DataType.Integer,
            "numeric" or "decimal" or "real" or "double precision" or "float4" or "float8" => DataType.Number,
            "boolean" or "bool" => DataType.Boolean,
            "date" => DataType.Date,
            "timestamp without time zone" or "timestamp" or "timestamp with time zone" or "timestamptz" => DataType.Timestamp,
            _ => null,
        };
    }

    [GeneratedRegex(@"\(\s*\d+\s*(,\s*\d+\s*)?\)")]
    private static partial Regex Modifier();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
