using System.Collections.Frozen;
using Cohort.Sql.Ast;
using Cohort.Sql.Emit;

namespace Cohort.Sql.Dialects;

/// <summary>
/// One warehouse's spelling of SQL. The shared emitter prints everything standard; a dialect overrides
/// identifiers, the semantic functions and the few aggregates that differ.
/// </summary>
public abstract class SqlDialect
{
    private static readonly FrozenSet<string> ReservedWords = FrozenSet.ToFrozenSet(
    [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
        "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint",
        "create", "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "describe", "distinct", "do", "else",
        "end", "except", "exists", "false", "fetch", "filter", "for", "foreign", "freeze", "from", "full", "glob",
        "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "interval", "into", "is",
        "isnull", "join", "lambda", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp",
        "map", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "over",
        "overlaps", "pivot", "placing", "primary", "qualify", "references", "returning", "right", "select",
        "semi", "session_user", "similar", "some", "struct", "summarize", "symmetric", "table", "tablesample",
        "then", "to", "trailing", "true", "try_cast", "union", "unique", "unpivot", "user", "using", "variadic",
        "verbose", "when", "where", "window", "with", "year", "month", "day", "hour", "minute", "second",
    ]);

    public abstract SqlDialectName Name { get; }

    public abstract DialectCapabilities Capabilities { get; }

    public static SqlDialect For(SqlDialectName name) => name switch
    {
        SqlDialectName.DuckDb => DuckDbDialect.Instance,
        SqlDialectName.Postgres => PostgresDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// Identifiers come only from the validated schema. Plain lower-case names print bare for readability;
    /// everything else is quoted with embedded quotes doubled, so no name can break out of its quotes.
    /// </summary>
    public virtual string QuoteIdentifier(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') &&
                    name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') &&
                    !ReservedWords.Contains(name);
        return plain ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public virtual string Placeholder(int ordinal) => "$" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A decimal parameter; engines that type parameters from their context override this to cast it.</summary>
    public virtual void EmitDecimalParameter(DecimalParamExpr parameter, SqlEmitter emitter) => emitter.Write(Placeholder(parameter.Ordinal));

    /// <summary>Prints a semantic function that the lowering passes left in place.</summary>
    public abstract void EmitFunction(FuncExpr function, SqlEmitter emitter);

    /// <summary>Prints the aggregates whose spelling differs between dialects.</summary>
    public abstract void EmitAggregate(AggregateExpr aggregate, SqlEmitter emitter);

    /// <summary>Type names for CAST.</summary>
    public virtual string TypeName(SqlType type) => type switch
    {
        SqlType.Text => "TEXT",
        SqlType.BigInt => "BIGINT",
        SqlType.Double => "DOUBLE PRECISION",
        SqlType.Timestamp => "TIMESTAMP",
        SqlType.Date => "DATE",
        SqlType.Interval => "INTERVAL",
        SqlType.TextArray => "TEXT[]",
        SqlType.BigIntArray => "BIGINT[]",
        SqlType.NumericArray => "NUMERIC[]",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The lowering passes this dialect needs, in order.</summary>
    public IReadOnlyList<ILoweringPass> LoweringPasses => Lowering.PassesFor(Capabilities);
}
