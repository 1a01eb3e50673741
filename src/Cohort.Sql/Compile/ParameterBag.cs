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

    public ParamExpr Decimal(decimal value) => Add(SqlParameterType.Decimal, value);

    public ParamExpr Integer(long value) => Add(SqlParameterType.Integer, value);

    public ParamExpr Timestamp(DateTime utc) => Add(SqlParameterType.Timestamp, utc);

    public ParamExpr Date(DateOnly date) => Add(SqlParameterType.Date, date);

    public ParamExpr Interval(TimeSpan span) => Add(SqlParameterType.Interval, span);

    public ImmutableArray<SqlParameter> ToImmutable() => [.. _parameters];

    private static object Normalise(SqlParameterType type, object value) => (type, value) switch
    {
        (SqlParameterType.Timestamp, DateTime t) when t.Kind != DateTimeKind.Utc =>
            throw new ArgumentException("Timestamp parameters must be UTC instants.", nameof(value)),
        _ => value,
    };
}
