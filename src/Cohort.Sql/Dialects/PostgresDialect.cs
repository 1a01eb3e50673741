using Cohort.Sql.Ast;
using Cohort.Sql.Emit;

namespace Cohort.Sql.Dialects;

public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect() { }

    public override SqlDialectName Name => SqlDialectName.Postgres;

    // PostgreSQL has no ends_with(); the lowering pass rewrites it with right() and length().
    public override DialectCapabilities Capabilities { get; } = DialectCapabilities.Full with { HasEndsWith = false };

    public override void EmitFunction(FuncExpr f, SqlEmitter e)
    {
        switch (f.Function)
        {
            case SqlFunction.ArrayContainsAny or SqlFunction.ArrayContainsAll:
                e.Write("(");
                e.Emit(f.Args[0]);
                e.Write(f.Function == SqlFunction.ArrayContainsAny ? " && ARRAY[" : " @> ARRAY[");
                e.EmitList(f.Args.Skip(1));
                e.Write("])");
                break;
            case SqlFunction.LocalDate:
                // Normalise timestamp and timestamptz columns to a UTC wall time, then read it in the zone.
                e.Write("CAST((CAST(");
                e.Emit(f.Args[0]);
                e.Write(" AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE ");
                e.Emit(f.Args[1]);
                e.Write(" AS DATE)");
                break;
            case SqlFunction.IsoDayOfWeek:
                e.Write("CAST(extract(isodow FROM ");
                e.Emit(f.Args[0]);
                e.Write(") AS INTEGER)");
                break;
            case SqlFunction.MonthDay:
                e.Write("CAST(extract(month FROM ");
                e.Emit(f.Args[0]);
                e.Write(") * 100 + extract(day FROM ");
                e.Emit(f.Args[0]);
                e.Write(") AS INTEGER)");
                break;
            case SqlFunction.SplitBucket:
                e.Write("(CAST(CAST('x' || substr(md5(");
                e.Emit(f.Args[0]);
                e.Write(" || ':' || CAST(");
                e.Emit(f.Args[1]);
                e.Write(" AS TEXT)), 1, 8) AS BIT(32)) AS BIGINT) % 10000)");
                break;
            case SqlFunction.BinaryCollate:
                e.Write("(");
                e.Emit(f.Args[0]);
                e.Write(" COLLATE \"C\")");
                break;
            case SqlFunction.Average:
                e.Write("(CAST(");
                e.Emit(f.Args[0]);
                e.Write(" AS DOUBLE PRECISION) / NULLIF(");
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
                e.Write("(array_agg(");
                e.Emit(a.Argument!);
                e.Write(" ORDER BY ");
                e.EmitOrderList(a.OrderBy);
                e.Write(")");
                e.EmitFilter(a.Filter);
                e.Write(")[1]");
                break;
            case AggregateKind.SortedDistinctList:
                e.Write("array_agg(DISTINCT ");
                e.Emit(a.Argument!);
                e.Write(" ORDER BY ");
                e.Emit(a.Argument!);
                e.Write(")");
                e.EmitFilter(a.Filter);
                break;
            default:
                e.EmitStandardAggregate(a);
                break;
        }
    }
}
