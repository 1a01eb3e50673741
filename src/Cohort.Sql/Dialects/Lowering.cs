using System.Collections.Immutable;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Dialects;

/// <summary>An AST-to-AST rewrite that replaces a feature a dialect lacks with one it has.</summary>
public interface ILoweringPass
{
    SelectStatement Apply(SelectStatement statement);
}

public static class Lowering
{
    public static IReadOnlyList<ILoweringPass> PassesFor(DialectCapabilities capabilities)
    {
        var passes = new List<ILoweringPass>();
        if (!capabilities.HasEndsWith) passes.Add(new EndsWithLowering());
        if (!capabilities.HasAggregateFilter) passes.Add(new AggregateFilterLowering());
        return passes;
    }

    public static SelectStatement Lower(SelectStatement statement, SqlDialect dialect) =>
        dialect.LoweringPasses.Aggregate(statement, (s, pass) => pass.Apply(s));
}

/// <summary>ends_with(s, x) becomes right(s, length(x)) = x.</summary>
public sealed class EndsWithLowering : SqlRewriter, ILoweringPass
{
    public SelectStatement Apply(SelectStatement statement) => RewriteStatement(statement);

    protected override SqlExpr RewriteExpr(SqlExpr expr)
    {
        var rewritten = base.RewriteExpr(expr);
        return rewritten is FuncExpr { Function: SqlFunction.EndsWith } f
            ? new BinaryExpr(BinaryOp.Equal,
                S.Fn(SqlFunction.Right, f.Args[0], S.Fn(SqlFunction.Length, f.Args[1])),
                f.Args[1])
            : rewritten;
    }
}

/// <summary>agg(x) FILTER (WHERE f) becomes agg(CASE WHEN f THEN x END), for dialects without FILTER.</summary>
public sealed class AggregateFilterLowering : SqlRewriter, ILoweringPass
{
    public SelectStatement Apply(SelectStatement statement) => RewriteStatement(statement);

    protected override SqlExpr RewriteExpr(SqlExpr expr)
    {
        var rewritten = base.RewriteExpr(expr);
        if (rewritten is not AggregateExpr { Filter: { } filter } a) return rewritten;
        var argument = a.Kind == AggregateKind.CountStar ? new IntExpr(1) : a.Argument!;
        var kind = a.Kind == AggregateKind.CountStar ? AggregateKind.Count : a.Kind;
        return a with
        {
            Kind = kind,
            Argument = new CaseExpr([new CaseWhen(filter, argument)], null),
            Filter = null,
        };
    }
}

/// <summary>Walks a statement and rebuilds only the nodes a subclass changes.</summary>
public abstract class SqlRewriter
{
    protected virtual SelectStatement RewriteStatement(SelectStatement s) => s with
    {
        With = [.. s.With.Select(c => c with { Query = RewriteStatement(c.Query) })],
        Columns = [.. s.Columns.Select(c => c with { Expr = RewriteExpr(c.Expr) })],
        From = s.From is null ? null : RewriteFrom(s.From),
        Joins = [.. s.Joins.Select(j => j with { Item = RewriteFrom(j.Item), On = RewriteExpr(j.On) })],
        Where = s.Where is null ? null : RewriteExpr(s.Where),
        GroupBy = [.. s.GroupBy.Select(RewriteExpr)],
        OrderBy = RewriteOrders(s.OrderBy),
    };

    private FrameBound? RewriteBound(FrameBound? bound) =>
        bound?.Offset is null ? bound : bound with { Offset = RewriteExpr(bound.Offset) };

    protected virtual FromItem RewriteFrom(FromItem item) => item switch
    {
        SubquerySource q => q with { Query = RewriteStatement(q.Query) },
        UnionAllSource u => u with { Parts = [.. u.Parts.Select(RewriteStatement)] },
        _ => item,
    };

    private ImmutableArray<SqlOrder> RewriteOrders(ImmutableArray<SqlOrder> orders) =>
        [.. orders.Select(o => o with { Expr = RewriteExpr(o.Expr) })];

    protected virtual SqlExpr RewriteExpr(SqlExpr expr) => expr switch
    {
        BinaryExpr b => b with { Left = RewriteExpr(b.Left), Right = RewriteExpr(b.Right) },
        NotExpr n => n with { Operand = RewriteExpr(n.Operand) },
        IsNullExpr n => n with { Operand = RewriteExpr(n.Operand) },
        InExpr i => i with { Operand = RewriteExpr(i.Operand), Items = [.. i.Items.Select(RewriteExpr)] },
        FuncExpr f => f with { Args = [.. f.Args.Select(RewriteExpr)] },
        AggregateExpr a => a with
        {
            Argument = a.Argument is null ? null : RewriteExpr(a.Argument),
            Filter = a.Filter is null ? null : RewriteExpr(a.Filter),
            OrderBy = RewriteOrders(a.OrderBy),
        },
        WindowExpr w => w with
        {
            Argument = w.Argument is null ? null : RewriteExpr(w.Argument),
            PartitionBy = [.. w.PartitionBy.Select(RewriteExpr)],
            OrderBy = RewriteOrders(w.OrderBy),
            FrameStart = RewriteBound(w.FrameStart),
            FrameEnd = RewriteBound(w.FrameEnd),
        },
        CaseExpr c => c with
        {
            Whens = [.. c.Whens.Select(w => new CaseWhen(RewriteExpr(w.When), RewriteExpr(w.Then)))],
            Else = c.Else is null ? null : RewriteExpr(c.Else),
        },
        CastExpr c => c with { Operand = RewriteExpr(c.Operand) },
        _ => expr,
    };
}
