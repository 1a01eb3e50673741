using Cohort.Sql.Ast;
using Cohort.Sql.Dialects;
using Cohort.Sql.Emit;

namespace Cohort.Sql.Compile;

/// <summary>Small questions the compiler's rewrites ask about expressions.</summary>
internal static class ExprFacts
{
    /// <summary>The terms of a chain of ANDs (the expression itself when it is not one).</summary>
    public static List<SqlExpr> Conjuncts(SqlExpr e) =>
        e is BinaryExpr { Op: BinaryOp.And } b ? [.. Conjuncts(b.Left), .. Conjuncts(b.Right)] : [e];

    /// <summary>
    /// Whether <paramref name="e"/> reads only columns whose qualifier <paramref name="isOwn"/> accepts (and constants),
    /// with no aggregate or window function: such a term can be evaluated on those tables' rows alone.
    /// </summary>
    public static bool ReadsOnly(SqlExpr e, Func<string?, bool> isOwn) => e switch
    {
        ColumnExpr c => isOwn(c.Qualifier),
        ParamExpr or DecimalParamExpr or IntExpr or BoolExpr or NullExpr => true,
        BinaryExpr b => ReadsOnly(b.Left, isOwn) && ReadsOnly(b.Right, isOwn),
        NotExpr n => ReadsOnly(n.Operand, isOwn),
        IsNullExpr n => ReadsOnly(n.Operand, isOwn),
        InExpr i => ReadsOnly(i.Operand, isOwn) && i.Items.All(x => ReadsOnly(x, isOwn)),
        FuncExpr f => f.Args.All(x => ReadsOnly(x, isOwn)),
        CastExpr c => ReadsOnly(c.Operand, isOwn),
        CaseExpr c => c.Whens.All(w => ReadsOnly(w.When, isOwn) && ReadsOnly(w.Then, isOwn)) && (c.Else is null || ReadsOnly(c.Else, isOwn)),
        _ => false,
    };

    /// <summary>A text that identifies an expression, for comparing two of them.</summary>
    public static string Key(SqlExpr e) => SqlEmitter.PrintExpression(e, DuckDbDialect.Instance);
}
