using System.Collections.Immutable;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>Collects the values a statement binds. Equal values of the same type share one placeholder.</summary>
public sealed class ParameterBag
{
    private readonly List<SqlParameter> _parameters = [];
    private readonly Dictionary<(SqlParameterType, object), int> _index = [];

    public ParamExpr Add(SqlParameterType type, object value)
    {
        value = Normalise(type, value);
        if (!_index.TryGetValue((type, value), out var ordinal))
        {
            ordinal = _parameters.Count + 1;
            _parameters.Add(new SqlParameter(ordinal, type, value));
            _index[(type, value)] = ordinal;
        }
        return new ParamExpr(ordinal);
    }

    public ParamExpr String(string value) => Add(SqlParameterType.String, value);

    public DecimalParamExpr Decimal(decimal value)
    {
        var ordinal = Add(SqlParameterType.Decimal, value).Ordinal;
        int scale = value.Scale;
        var integerDigits = Math.Max(1, decimal.Truncate(Math.Abs(value)).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return new DecimalParamExpr(ordinal, Math.Min(38, Math.Max(18, integerDigits + scale)), Math.Min((int)scale, 37));
    }

    public ParamExpr Integer(long value) => Add(SqlParameterType.Integer, value);

    public ParamExpr Timestamp(DateTime utc) => Add(SqlParameterType.Timestamp, utc);

    public ParamExpr Date(DateOnly date) => Add(SqlParameterType.Date, date);

    public ParamExpr Interval(TimeSpan span) => Add(SqlParameterType.Interval, span);

    /// <summary>The value bound to placeholder <paramref name="ordinal"/> (1-based).</summary>
    public object ValueOf(int ordinal) => _parameters[ordinal - 1].Value;

    public SqlParameterType TypeOf(int ordinal) => _parameters[ordinal - 1].Type;

    public ImmutableArray<SqlParameter> ToImmutable() => [.. _parameters];

    private static object Normalise(SqlParameterType type, object value) => (type, value) switch
    {
        (SqlParameterType.Timestamp, DateTime t) when t.Kind != DateTimeKind.Utc =>
            throw new ArgumentException("Timestamp parameters must be UTC instants.", nameof(value)),
        _ => value,
    };
}
