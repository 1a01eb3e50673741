using System.Collections.Immutable;

namespace Cohort.Sql;

/// <summary>The SQL types a parameter can be bound as. Values are always bound, never spliced into text.</summary>
public enum SqlParameterType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    Timestamp,
    /// <summary>A <see cref="TimeSpan"/>, bound as an INTERVAL.</summary>
    Interval,
}

/// <summary>A positional parameter, referenced in the text as <c>$Ordinal</c> (1-based).</summary>
public sealed record SqlParameter(int Ordinal, SqlParameterType Type, object Value)
{
    public override string ToString()
    {
        var text = Value switch
        {
            DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan s => s.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return $"${Ordinal} = {text} ({Type.ToString().ToLowerInvariant()})";
    }
}

public enum SqlDialectName
{
    DuckDb,
    Postgres,
}

/// <summary>The compiler's output: SQL text, its typed parameters and the dialect it was written for.</summary>
public sealed record CompiledSql(SqlDialectName Dialect, string Text, ImmutableArray<SqlParameter> Parameters)
{
    public override string ToString() => Text;
}
