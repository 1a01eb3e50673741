using Cohort.Sql;

namespace Cohort.Warehouses.Internal;

/// <summary>A parameter value converted to the CLR type each driver binds natively; null for SQL NULL.</summary>
internal readonly record struct BoundParameter(SqlParameterType Type, object? Value);

internal static class ParameterBinder
{
    /// <summary>Checks dialect and numbering, and converts each value to its declared type's CLR form.</summary>
    public static BoundParameter[] Bind(CompiledSql sql, SqlDialectName dialect)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.Dialect != dialect)
            throw new ArgumentException(WarehouseMessages.DialectMismatch(sql.Dialect, dialect), nameof(sql));

        var parameters = sql.Parameters.IsDefault ? [] : sql.Parameters;
        var bound = new BoundParameter[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p is null || p.Ordinal != i + 1)
                throw new ArgumentException(WarehouseMessages.ParameterOrdinals(parameters.Length), nameof(sql));
            bound[i] = new BoundParameter(p.Type, Convert(p));
        }
        return bound;
    }

    private static object? Convert(SqlParameter p)
    {
        // The record declares Value non-null, but a NULL comparison value is legitimate; bind it typed.
        object? value = p.Value;
        if (value is null or DBNull)
            return null;

        var converted = p.Type switch
        {
            SqlParameterType.String => value as string,
            SqlParameterType.Integer => ValueConvert.TryInt64(value, out var l) ? l : null,
            SqlParameterType.Decimal => ValueConvert.TryDecimal(value, out var d) ? d : null,
            SqlParameterType.Boolean => value as bool?,
            SqlParameterType.Date => ValueConvert.TryDateOnly(value, out var date) ? date : null,
            SqlParameterType.Timestamp => TimestampOf(p, value),
            SqlParameterType.Interval => value as TimeSpan?,
            _ => throw new ArgumentOutOfRangeException(nameof(p), p.Type, null),
        };
        return converted ?? throw new ArgumentException(WarehouseMessages.ParameterValue(p.Ordinal, p.Type, value.GetType()), nameof(p));
    }

    private static object? TimestampOf(SqlParameter p, object value)
    {
        if (value is DateTime { Kind: DateTimeKind.Local })
            throw new ArgumentException(WarehouseMessages.ParameterLocalTime(p.Ordinal), nameof(p));
        // Unspecified kind holding the UTC wall time: PostgreSQL binds it as `timestamp`, DuckDB as TIMESTAMP,
        // and both compare it with TIMESTAMPTZ in the session's UTC zone.
        return ValueConvert.TryUtcDateTime(value, out var utc) ? DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) : null;
    }
}
