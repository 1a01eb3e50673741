using Cohort.Sql.Ast;
using Cohort.Sql.Emit;

namespace Cohort.Sql.Dialects;

public sealed class DuckDbDialect : SqlDialect
{
    public static readonly DuckDbDialect Instance = new();

    private DuckDbDialect() { }

    public override SqlDialectName Name => SqlDialectName.DuckDb;

    public override DialectCapabilities Capabilities => DialectCapabilities.Full;

    public override string TypeName(SqlType type) => type switch
    {
        SqlType.Double => "DOUBLE",
        SqlType.TextArray => "VARCHAR[]",
        SqlType.NumericArray => "DOUBLE[]",
        _ => base.TypeName(type),
    };

    // DuckDB infers a parameter's type from its context: against a BIGINT column, 17.5 would bind as 17.
    public override void EmitDecimalParameter(DecimalParamExpr p, SqlEmitter e) =>
        e.Write(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CAST({Placeholder(p.Ordinal)} AS DECIMAL({p.Precision}, {p.Scale}))"));

    public override void EmitFunction(FuncExpr f, SqlEmitter e)
    {
        switch (f.Function)
        {
            case SqlFunction.ArrayContainsAny or SqlFunction.ArrayContainsAll:
                e.Write(f.Function == SqlFunction.ArrayContainsAny ? "list_has_any(" : "list_has_all(");
                e.Emit(f.Args[0]);
                e.Write(", [");
                e.EmitList(f.Args.Skip(1));
                e.Write("])");
                break;
            case SqlFunction.LocalDate:
                // Normalise TIMESTAMP and TIMESTAMPTZ columns to a UTC wall time, then read it in the zone (ICU).
                e.Write("CAST(timezone(");
                e.Emit(f.Args[1]);
                e.Write(", timezone('UTC', CAST(");
                e.Emit(f.Args[0]);
                e.Write(" AS TIMESTAMP))) AS DATE)");
                break;
            case SqlFunction.IsoDayOfWeek:
                e.Call("isodow", f.Args);
                break;
            case SqlFunction.MonthDay:
                e.Write("(month(");
                e.Emit(f.Args[0]);
                e.Write(") * 100 + day(");
                e.Emit(f.Args[0]);
                e.Write("))");
                break;
            case SqlFunction.SplitBucket:
                e.Write("(CAST('0x' || substr(md5(");
                e.Emit(f.Args[0]);
                e.Write(" || ':' || CAST(");
                e.Emit(f.Args[1]);
                e.Write(" AS VARCHAR)), 1, 8) AS BIGINT) % 10000)");
                break;
            case SqlFunction.BinaryCollate:
                // DuckDB compares strings by code point unless a default collation is configured.
                e.Emit(f.Args[0]);
                break;
            case SqlFunction.Average:
                e.Write("(CAST(");
                e.Emit(f.Args[0]);
                e.Write(" AS DOUBLE) / NULLIF(");
                e.Emit(f.Args[1]);
                e.Write(", 0))");
                break;
            default:
                e.EmitStandardFunction(f);
                break;
        }
    }

    public override void EmitAggregate(AggregateExpr a, SqlEmitter e)
    {
        switch (a.Kind)
        {
            case AggregateKind.FirstByOrder:
                e.Write("first(");
                e.Emit(a.Argument!);
                e.Write(" ORDER BY ");
                e.EmitOrderList(a.OrderBy);
                e.Write(")");
                e.EmitFilter(a.Filter);
                break;
            case AggregateKind.SortedDistinctList:
                e.Write("list_sort(list(DISTINCT ");
                e.Emit(a.Argument!);
                e.Write(")");
                e.EmitFilter(a.Filter);
                e.Write(")");
                break;
            default:
                e.EmitStandardAggregate(a);
                break;
        }
    }
}
