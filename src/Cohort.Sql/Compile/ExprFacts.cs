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

    /// <summary>The expression with columns qualified by <paramref name="from"/> qualified by <paramref name="to"/> instead.</summary>
    public static SqlExpr Requalify(SqlExpr e, string from, string to) => e switch
    {
        ColumnExpr c when c.Qualifier == from => c with { Qualifier = to },
        BinaryExpr b => b with { Left = Requalify(b.Left, from, to), Right = Requalify(b.Right, from, to) },
        NotExpr n => n with { Operand = Requalify(n.Operand, from, to) },
        IsNullExpr n => n with { Operand = Requalify(n.Operand, from, to) },
        InExpr i => i with { Operand = Requalify(i.Operand, from, to), Items = [.. i.Items.Select(x => Requalify(x, from, to))] },
        FuncExpr f => f with { Args = [.. f.Args.Select(x => Requalify(x, from, to))] },
        CastExpr c => c with { Operand = Requalify(c.Operand, from, to) },
        CaseExpr c => c with
        {
            Whens = [.. c.Whens.Select(w => w with { When = Requalify(w.When, from, to), Then = Requalify(w.Then, from, to) })],
            Else = c.Else is null ? null : Requalify(c.Else, from, to),
        },
        _ => e,
    };

    /// <summary>
    /// Adds the columns qualified by <paramref name="qualifier"/> that <paramref name="e"/> reads to
    /// <paramref name="into"/>; false when the expression has a part this does not know (then nothing is certain).
    /// </summary>
    public static bool Columns(SqlExpr e, string qualifier, ISet<string> into)
    {
        switch (e)
        {
            case ColumnExpr c:
                if (c.Qualifier == qualifier) into.Add(c.Name);
                return c.Qualifier == qualifier;
            case ParamExpr or DecimalParamExpr or IntExpr or BoolExpr or NullExpr:
                return true;
            case BinaryExpr b:
                return Columns(b.Left, qualifier, into) && Columns(b.Right, qualifier, into);
            case NotExpr n:
                return Columns(n.Operand, qualifier, into);
            case IsNullExpr n:
                return Columns(n.Operand, qualifier, into);
            case InExpr i:
                return Columns(i.Operand, qualifier, into) && i.Items.All(x => Columns(x, qualifier, into));
            case FuncExpr f:
                return f.Args.All(x => Columns(x, qualifier, into));
            case CastExpr c:
                return Columns(c.Operand, qualifier, into);
            case CaseExpr c:
                return c.Whens.All(w => Columns(w.When, qualifier, into) && Columns(w.Then, qualifier, into)) && (c.Else is null || Columns(c.Else, qualifier, into));
            default:
                return false;
        }
    }

    /// <summary>A text that identifies an expression, for comparing two of them.</summary>
    public static string Key(SqlExpr e) => SqlEmitter.PrintExpression(e, DuckDbDialect.Instance);
}
