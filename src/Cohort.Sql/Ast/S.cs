namespace Cohort.Sql.Ast;

/// <summary>Short constructors for SQL trees, with the simplifications the compiler relies on for readable output.</summary>
public static class S
{
    public static ColumnExpr Col(string? qualifier, string name) => new(qualifier, name);

    public static FuncExpr Fn(SqlFunction function, params SqlExpr[] args) => new(function, [.. args]);

    public static SqlExpr And(params SqlExpr[] terms) => Combine(BinaryOp.And, terms);

    public static SqlExpr And(IEnumerable<SqlExpr> terms) => Combine(BinaryOp.And, [.. terms]);

    public static SqlExpr Or(params SqlExpr[] terms) => Combine(BinaryOp.Or, terms);

    public static SqlExpr Or(IEnumerable<SqlExpr> terms) => Combine(BinaryOp.Or, [.. terms]);

    /// <summary>Negation, removing double negatives and folding constants.</summary>
    public static SqlExpr Not(SqlExpr e) => e switch
    {
        NotExpr n => n.Operand,
        IsNullExpr n => n with { Negated = !n.Negated },
        BoolExpr b => b.Value ? BoolExpr.False : BoolExpr.True,
        _ => new NotExpr(e),
    };

    public static SqlExpr Eq(SqlExpr a, SqlExpr b) => new BinaryExpr(BinaryOp.Equal, a, b);

    public static SqlExpr Cmp(BinaryOp op, SqlExpr a, SqlExpr b) => new BinaryExpr(op, a, b);

    public static SqlExpr Coalesce(SqlExpr e, SqlExpr fallback) => Fn(SqlFunction.Coalesce, e, fallback);

    /// <summary>Turns a possibly-NULL predicate into a two-valued one: NULL counts as false.</summary>
    public static SqlExpr Truth(SqlExpr predicate) => IsTwoValued(predicate) ? predicate : Coalesce(predicate, BoolExpr.False);

    /// <summary>True when the expression can never be NULL, so it needs no COALESCE.</summary>
    public static bool IsTwoValued(SqlExpr e) => e switch
    {
        BoolExpr or IsNullExpr => true,
        BinaryExpr { Op: BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual } c =>
            IsNeverNull(c.Left) && IsNeverNull(c.Right),
        FuncExpr { Function: SqlFunction.Coalesce } f => f.Args[^1] is BoolExpr,
        BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } b => IsTwoValued(b.Left) && IsTwoValued(b.Right),
        NotExpr n => IsTwoValued(n.Operand),
        _ => false,
    };

    /// <summary>Constants, parameters (never bound to NULL) and COALESCE with a constant fallback.</summary>
    public static bool IsNeverNull(SqlExpr e) => e switch
    {
        IntExpr or BoolExpr or ParamExpr or DecimalParamExpr => true,
        FuncExpr { Function: SqlFunction.Coalesce } f => IsNeverNull(f.Args[^1]),
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsNeverNull(b.Left) && IsNeverNull(b.Right),
        _ => false,
    };

    private static SqlExpr Combine(BinaryOp op, IReadOnlyList<SqlExpr> terms)
    {
        var identity = op == BinaryOp.And;
        var kept = new List<SqlExpr>();
        foreach (var term in terms)
        {
            if (term is BoolExpr b)
            {
                if (b.Value == identity) continue;
                return b; // FALSE absorbs AND, TRUE absorbs OR
            }
            kept.Add(term);
        }
        if (kept.Count == 0) return new BoolExpr(identity);
        return kept.Skip(1).Aggregate(kept[0], (acc, t) => new BinaryExpr(op, acc, t));
    }
}
