using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// Turns the left join of a derived table into an inner join when a filter over the joined rows can never be true
/// for a row without a match (all of the derived table's columns NULL): e.g. <c>COALESCE(orders_1.agg1, 0) &gt;= 2</c>
/// or <c>sequence_1.k IS NOT NULL</c>. Same rows either way; the engine can then start from the small derived table
/// instead of probing it for every row. Engines do this themselves for plain predicates, not through COALESCE.
/// </summary>
internal static class NullRejection
{
    /// <summary>Joins of <paramref name="joins"/> made inner where every filter of <paramref name="everyOf"/> rejects a missing match.</summary>
    public static IReadOnlyList<SqlJoin> Tighten(IReadOnlyList<SqlJoin> joins, IReadOnlyList<SqlExpr> everyOf, ParameterBag parameters) =>
        everyOf.Count == 0
            ? joins
            : [.. joins.Select(j => j.Kind == JoinKind.Left && everyOf.All(f => Rejects(f, j.Item.Alias, parameters)) ? j with { Kind = JoinKind.Inner } : j)];

    /// <summary>Whether <paramref name="filter"/> is certainly not TRUE when every column of <paramref name="alias"/> is NULL.</summary>
    public static bool Rejects(SqlExpr filter, string alias, ParameterBag parameters)
    {
        var v = Eval(filter, alias, parameters);
        return v.Known && (v.Value is null or false || ReferenceEquals(v.Value, NotTrue));
    }

    /// <summary>FALSE or NULL, not known which.</summary>
    private static readonly object NotTrue = new();

    private readonly record struct Folded(bool Known, object? Value)
    {
        public static readonly Folded Unknown = new(false, null);
        public static readonly Folded Null = new(true, null);
        public bool IsNotTrue => Known && (Value is null or false || ReferenceEquals(Value, NotTrue));
    }

    private static Folded Eval(SqlExpr e, string alias, ParameterBag p)
    {
        switch (e)
        {
            case ColumnExpr c:
                return c.Qualifier == alias ? Folded.Null : Folded.Unknown;
            case IntExpr i:
                return new(true, (decimal)i.Value);
            case BoolExpr b:
                return new(true, b.Value);
            case NullExpr:
                return Folded.Null;
            case ParamExpr pe:
                return Number(p.ValueOf(pe.Ordinal));
            case DecimalParamExpr de:
                return Number(p.ValueOf(de.Ordinal));
            case IsNullExpr n:
                {
                    var x = Eval(n.Operand, alias, p);
                    return x.Known ? new(true, (x.Value is null) != n.Negated) : Folded.Unknown;
                }
            case FuncExpr { Function: SqlFunction.Coalesce } f:
                foreach (var arg in f.Args)
                {
                    var x = Eval(arg, alias, p);
                    if (!x.Known) return Folded.Unknown;
                    if (x.Value is not null) return x;
                }
                return Folded.Null;
            case BinaryExpr { Op: BinaryOp.And } a:
                {
                    var l = Eval(a.Left, alias, p);
                    var r = Eval(a.Right, alias, p);
                    if (l is { Known: true, Value: false } || r is { Known: true, Value: false }) return new(true, false);
                    if (l is { Known: true, Value: true } && r is { Known: true, Value: true }) return new(true, true);
                    // Anything AND (FALSE or NULL) is never TRUE.
                    return l.IsNotTrue || r.IsNotTrue ? new(true, NotTrue) : Folded.Unknown;
                }
            case BinaryExpr { Op: BinaryOp.Or } o:
                {
                    var l = Eval(o.Left, alias, p);
                    var r = Eval(o.Right, alias, p);
                    if (l is { Known: true, Value: true } || r is { Known: true, Value: true }) return new(true, true);
                    return l.IsNotTrue && r.IsNotTrue ? new(true, NotTrue) : Folded.Unknown;
                }
            case BinaryExpr { Op: BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual } c:
                {
                    var l = Eval(c.Left, alias, p);
                    var r = Eval(c.Right, alias, p);
                    if (l is { Known: true, Value: null } || r is { Known: true, Value: null }) return Folded.Null;
                    if (l is { Known: true, Value: decimal a } && r is { Known: true, Value: decimal b })
                    {
                        var cmp = a.CompareTo(b);
                        return new(true, c.Op switch
                        {
                            BinaryOp.Equal => cmp == 0,
                            BinaryOp.NotEqual => cmp != 0,
                            BinaryOp.Less => cmp < 0,
                            BinaryOp.LessOrEqual => cmp <= 0,
                            BinaryOp.Greater => cmp > 0,
                            _ => cmp >= 0,
                        });
                    }
                    return Folded.Unknown;
                }
            case NotExpr n:
                {
                    var x = Eval(n.Operand, alias, p);
                    return x switch
                    {
                        { Known: true, Value: null } => Folded.Null,
                        { Known: true, Value: bool b } => new(true, !b),
                        _ => Folded.Unknown,
                    };
                }
            case CastExpr cast:
                {
                    var x = Eval(cast.Operand, alias, p);
                    if (x is { Known: true, Value: null }) return Folded.Null;
                    return x is { Value: decimal } && cast.Type is SqlType.BigInt or SqlType.Double ? x : Folded.Unknown;
                }
            default:
                return Folded.Unknown;
        }
    }

    private static Folded Number(object value) => value switch
    {
        long l => new(true, (decimal)l),
        int i => new(true, (decimal)i),
        decimal d => new(true, d),
        _ => Folded.Unknown,
    };
}
