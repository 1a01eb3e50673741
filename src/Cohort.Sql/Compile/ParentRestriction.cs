using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// Sideways filtering: when the statement keeps only parent rows passing conditions on the parent's own columns
/// (e.g. <c>signup_at &lt; ...</c>), the derived tables joined to it need rows only for those parents. Each one is
/// joined to the distinct keys of the qualifying parents, inside its grouped scan, so an audience "signed up last
/// week and viewed 5 pages" aggregates the events of last week's sign-ups instead of every customer's.
/// Same result: a parent failing those conditions is dropped by the outer WHERE whatever its derived row says.
/// </summary>
internal static class ParentRestriction
{
    public static IReadOnlyList<SqlJoin> Apply(CompileContext ctx, FromItem parentSource, string parentAlias, SqlExpr key,
        IReadOnlyList<SqlJoin> joins, SqlExpr? where)
    {
        if (where is null) return joins;
        var keyPresent = ExprFacts.Key(new IsNullExpr(key, Negated: true));
        var own = ExprFacts.Conjuncts(where).Where(c => ExprFacts.ReadsOnly(c, q => q == parentAlias) && ExprFacts.Key(c) != keyPresent).ToList();
        if (own.Count == 0) return joins;
        var parentWindowed = own.Any(c => IsWindowStart(c, ctx.Parameters));

        var parentsByColumn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var join in joins)
        {
            if (join.Item is not CteSource cte || join.On is not BinaryExpr { Op: BinaryOp.Equal, Left: ColumnExpr { Name: "k" } k, Right: ColumnExpr parentColumn }
                || k.Qualifier != cte.Alias || parentColumn.Qualifier != parentAlias)
                continue;
            if (ctx.Ctes.FindIndex(c => c.Name == cte.Name) is var found && (found < 0 || ctx.Ctes[found].Materialized)) continue;
            // A scan already cut to a time window (the last 30 days of events) is a small slice of its table; joining
            // it to parents that pass a broad condition (a plan, a tag) costs a scan of the parent table and a hash
            // join, more than it saves (big_spenders_30d at 1M: 94 ms with, 53 ms without). A window on the parent
            // too (signed up this week) is selective: then restrict.
            if (!parentWindowed && Windowed(ctx.Ctes[found].Query, ctx.Parameters)) continue;
            if (!parentsByColumn.TryGetValue(parentColumn.Name, out var parents))
            {
                parents = ctx.NewName("qualifying_parents");
                var alias = ctx.NewAlias("q");
                var renamed = own.Select(c => ExprFacts.Requalify(c, parentAlias, alias)).ToList();
                // First: it reads only the parent, and every CTE it restricts must come after it.
                ctx.Ctes.Insert(0, new CommonTableExpr(parents, new SelectStatement
                {
                    Distinct = true,
                    Columns = [new SelectItem(S.Col(alias, parentColumn.Name), "k")],
                    From = parentSource with { Alias = alias },
                    Where = S.And([new IsNullExpr(S.Col(alias, parentColumn.Name), Negated: true), .. renamed]),
                }));
                parentsByColumn[parentColumn.Name] = parents;
            }
            var index = ctx.Ctes.FindIndex(c => c.Name == cte.Name);
            if (Restrict(ctx.Ctes[index].Query, parents, ctx) is { } restricted)
            {
                ctx.Ctes[index] = ctx.Ctes[index] with { Query = restricted };
            }
        }
        return joins;
    }

    private static bool IsWindowStart(SqlExpr e, ParameterBag parameters) =>
        e is BinaryExpr { Op: BinaryOp.GreaterOrEqual or BinaryOp.Greater, Right: ParamExpr p } && parameters.TypeOf(p.Ordinal) is SqlParameterType.Timestamp or SqlParameterType.Date;

    /// <summary>Whether the statement (or the keyed subquery it reads) keeps only rows after a point in time.</summary>
    private static bool Windowed(SelectStatement statement, ParameterBag parameters) =>
        (statement.Where is { } w && ExprFacts.Conjuncts(w).Any(c => IsWindowStart(c, parameters)))
        || (statement.From is SubquerySource sub && Windowed(sub.Query, parameters));

    /// <summary>The statement with its rows restricted to keys in <paramref name="parents"/>, pushed into a keyed
    /// subquery where possible (before DISTINCT and grouping), or null when its shape is not one we know.</summary>
    private static SelectStatement? Restrict(SelectStatement statement, string parents, CompileContext ctx)
    {
        if (statement.Columns.IsEmpty || statement.Columns[0].Alias != "k" || statement.Limit is not null || statement.Columns.Any(c => HasWindow(c.Expr)))
            return null;
        var keyExpr = statement.Columns[0].Expr;
        if (statement.From is SubquerySource sub && keyExpr is ColumnExpr { Name: "k" } c && c.Qualifier == sub.Alias
            && Restrict(sub.Query, parents, ctx) is { } inner)
            return statement with { From = sub with { Query = inner } };
        if (statement.From is null or CteSource or SubquerySource) return null;
        var alias = ctx.NewAlias("q");
        return statement with { Joins = [.. statement.Joins, new SqlJoin(JoinKind.Inner, new CteSource(parents, alias), S.Eq(S.Col(alias, "k"), keyExpr))] };
    }

    private static bool HasWindow(SqlExpr e) => e switch
    {
        WindowExpr => true,
        BinaryExpr b => HasWindow(b.Left) || HasWindow(b.Right),
        FuncExpr f => f.Args.Any(HasWindow),
        CastExpr c => HasWindow(c.Operand),
        CaseExpr c => c.Whens.Any(w => HasWindow(w.When) || HasWindow(w.Then)) || (c.Else is not null && HasWindow(c.Else)),
        _ => false,
    };
}
