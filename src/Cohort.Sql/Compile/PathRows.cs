using System.Collections.Immutable;
using Cohort.Core.Schema;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// The rows at the end of a relationship path, joined hop by hop, with <see cref="Key"/> naming the context row
/// each one belongs to. Paths that could reach the same end row twice are first reduced to distinct
/// (context key, end key) pairs, so every end row counts once per context row.
/// </summary>
internal sealed record PathRows(FromItem From, ImmutableArray<SqlJoin> Joins, SqlExpr Key, string EndAlias)
{
    public static PathRows Build(RelationPath path, CompileContext ctx)
    {
        if (path.Hops.Count == 0) throw new InvalidOperationException("A relation path needs at least one hop.");
        var direct = Direct(path, ctx);
        if (!path.MayRepeatRows) return direct;

        var end = path.End;
        var endKey = end.PrimaryKey
            ?? throw new InvalidOperationException($"Model '{end.Name}' needs a primary key to count distinct rows reached through '{string.Join(".", path.Hops.Select(h => h.Name))}'.");
        var reach = new SelectStatement
        {
            Distinct = true,
            Columns = [new SelectItem(direct.Key, "k"), new SelectItem(S.Col(direct.EndAlias, endKey), "end_key")],
            From = direct.From,
            Joins = direct.Joins,
        };
        var reachAlias = ctx.NewAlias("r");
        var endAlias = ctx.NewAlias(end.Name);
        return new PathRows(
            new SubquerySource(reach, reachAlias),
            [new SqlJoin(JoinKind.Inner, ctx.Source(end, endAlias), S.Eq(S.Col(endAlias, endKey), S.Col(reachAlias, "end_key")))],
            S.Col(reachAlias, "k"),
            endAlias);
    }

    private static PathRows Direct(RelationPath path, CompileContext ctx)
    {
        FromItem? from = null;
        var joins = ImmutableArray.CreateBuilder<SqlJoin>();
        SqlExpr? key = null;
        string? previous = null;
        foreach (var hop in path.Hops)
        {
            var target = ctx.NewAlias(hop.Target.Name);
            if (hop.Join is null)
            {
                if (previous is null)
                {
                    from = ctx.Source(hop.Target, target);
                    key = S.Col(target, hop.TargetKey);
                }
                else
                {
                    joins.Add(new SqlJoin(JoinKind.Inner, ctx.Source(hop.Target, target),
                        S.Eq(S.Col(target, hop.TargetKey), S.Col(previous, hop.SourceKey))));
                }
            }
            else
            {
                var link = ctx.NewAlias(hop.Join.Name);
                var linkSource = ctx.Source(hop.Join, link);
                if (previous is null)
                {
                    from = linkSource;
                    key = S.Col(link, hop.JoinSourceKey!);
                }
                else
                {
                    joins.Add(new SqlJoin(JoinKind.Inner, linkSource, S.Eq(S.Col(link, hop.JoinSourceKey!), S.Col(previous, hop.SourceKey))));
                }
                joins.Add(new SqlJoin(JoinKind.Inner, ctx.Source(hop.Target, target),
                    S.Eq(S.Col(target, hop.TargetKey), S.Col(link, hop.JoinTargetKey!))));
            }
            previous = target;
        }
        return new PathRows(from!, joins.ToImmutable(), key!, previous!);
    }
}
