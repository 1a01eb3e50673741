using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// A sequence condition (docs/semantics.md section 7) as a chain of window-function stages, one per step.
/// Stage i keeps the candidate events of step i that can end a valid chain of steps 1..i, each with the latest
/// possible start of such a chain (l): the max of l over earlier-stage events strictly before it and within the
/// step's gap (a RANGE frame ending one microsecond before the row). Keeping the latest start is enough for the
/// total-span rule, because a later start only makes the span shorter. No self-joins: one sort per stage.
/// </summary>
internal sealed class SequencePass : IJoinedPass
{
    private readonly SequenceCondition _condition;
    private readonly CompileContext _ctx;
    private readonly List<Candidate> _steps = [];
    private readonly Candidate? _follow;
    private readonly string _name;
    private readonly string _sourceKey;

    private sealed record Candidate(PathRows Rows, Scope Scope, SqlExpr Filter, ColumnExpr Time, bool HasWhere);

    /// <summary>The CTE every candidate reads instead of the event table, when they can share one scan (<see cref="ShareScan"/>).</summary>
    private string? _shared;

    private SequencePass(SequenceCondition condition, Scope scope, CompileContext ctx, ConditionCompiler conditions)
    {
        _condition = condition;
        _ctx = ctx;
        _name = ctx.NewName("sequence");
        string? sourceKey = null;
        foreach (var step in condition.Steps)
            _steps.Add(Candidates(step, condition.Window, scope, conditions, ref sourceKey));
        if (condition.NotFollowedBy is { } follow)
            _follow = Candidates(follow, TimeWindow.Ever.Instance, scope, conditions, ref sourceKey, notBefore: condition.Window);
        _sourceKey = sourceKey!;
    }

    public bool IsUsed => true;

    public static SqlExpr Compile(SequenceCondition condition, Scope scope, CompileContext ctx, ConditionCompiler conditions)
    {
        var pass = new SequencePass(condition, scope, ctx, conditions);
        scope.AddPass(pass);
        return new IsNullExpr(S.Col(pass._name, "k"), Negated: true);
    }

    /// <param name="notBefore">For follow-ups: a follow-up counts only strictly after a chain's last step, which lies in
    /// this window, so events before the window's start are never needed (without this, every follow-up event of all
    /// history is sorted).</param>
    private Candidate Candidates(SequenceStep step, TimeWindow window, Scope scope, ConditionCompiler conditions, ref string? sourceKey,
        TimeWindow? notBefore = null)
    {
        var path = ConditionCompiler.Resolve(_ctx.Index.ResolveEventPath(scope.Model, step.Model, step.Names));
        var key = path.Hops[0].SourceKey;
        if (sourceKey is not null && sourceKey != key)
            throw new InvalidOperationException("Every step of a sequence must reach its events through the same key of the context model.");
        sourceKey = key;
        var rows = PathRows.Build(path, _ctx);
        var stepScope = new Scope(path.End, rows.EndAlias);
        var t = S.Col(rows.EndAlias, path.End.TimestampColumn!);
        var filter = S.And(
            conditions.AsOfCap(t),
            conditions.EventNames(path.End, rows.EndAlias, step.Names),
            conditions.Window(t, window),
            notBefore is null ? BoolExpr.True : conditions.WindowStart(t, notBefore),
            step.Where is null ? BoolExpr.True : conditions.Compile(step.Where, stepScope));
        return new Candidate(rows, stepScope, filter, t, step.Where is not null);
    }

    public SqlJoin Finish(CompileContext ctx, Scope owner)
    {
        var p = ctx.Parameters;
        var epsilon = p.Interval(TimeSpan.FromTicks(10)); // one microsecond: "strictly before" on microsecond timestamps
        ShareScan();
        var previous = AddCte("step1", Select(_steps[0], withStart: true));
        for (var i = 1; i < _steps.Count; i++)
        {
            var candidates = AddCte($"candidates{i + 1}", Select(_steps[i], withStart: false));
            var gap = _condition.Steps[i].MaxGap;
            var frameStart = gap is { } g
                ? new FrameBound(FrameBoundKind.Preceding, p.Interval(g.ToTimeSpan()))
                : new FrameBound(FrameBoundKind.UnboundedPreceding);
            var union = ctx.NewAlias("u");
            var windowed = ctx.NewAlias("w");
            var latestStart = new WindowExpr(WindowKind.Max, S.Col(union, "l"), [S.Col(union, "k")], [new SqlOrder(S.Col(union, "t"))],
                frameStart, new FrameBound(FrameBoundKind.Preceding, epsilon));
            var inner = new SelectStatement
            {
                Columns =
                [
                    new SelectItem(S.Col(union, "k"), "k"), new SelectItem(S.Col(union, "t"), "t"),
                    new SelectItem(S.Col(union, "is_step"), "is_step"), new SelectItem(latestStart, "l"),
                ],
                From = new UnionAllSource(
                [
                    new SelectStatement
                    {
                        Columns = [Out("k"), Out("t"), Out("l"), new SelectItem(BoolExpr.False, "is_step")],
                        From = new CteSource(previous, previous),
                    },
                    new SelectStatement
                    {
                        Columns = [Out("k"), Out("t"), new SelectItem(new CastExpr(NullExpr.Instance, SqlType.Timestamp), "l"), new SelectItem(BoolExpr.True, "is_step")],
                        From = new CteSource(candidates, candidates),
                    },
                ], union),
            };
            previous = AddCte($"step{i + 1}", new SelectStatement
            {
                Columns = [new SelectItem(S.Col(windowed, "k"), "k"), new SelectItem(S.Col(windowed, "t"), "t"), new SelectItem(S.Col(windowed, "l"), "l")],
                From = new SubquerySource(inner, windowed),
                Where = S.And(S.Col(windowed, "is_step"), new IsNullExpr(S.Col(windowed, "l"), Negated: true)),
            });
        }

        var spanOk = _condition.Within is { } within
            ? S.Cmp(BinaryOp.LessOrEqual, S.Col(previous, "t"), S.Fn(SqlFunction.AddInterval, S.Col(previous, "l"), p.Interval(within.ToTimeSpan())))
            : BoolExpr.True;

        SelectStatement final;
        if (_follow is null)
        {
            final = new SelectStatement { Distinct = true, Columns = [new SelectItem(S.Col(previous, "k"), "k")], From = new CteSource(previous, previous), Where = NullIfTrue(spanOk) };
        }
        else
        {
            var wait = _condition.NotFollowedBy!.MaxGap!.Value;
            var cut = TimeMath.Subtract(ctx.Evaluation.AsOfUtc, wait);
            var ends = AddCte("ends", new SelectStatement
            {
                Columns = [new SelectItem(S.Col(previous, "k"), "k"), new SelectItem(S.Col(previous, "t"), "t")],
                From = new CteSource(previous, previous),
                // The waiting time must have passed entirely by asOf.
                Where = S.And(spanOk, S.Cmp(BinaryOp.LessOrEqual, S.Col(previous, "t"), p.Timestamp(cut))),
            });
            var follows = AddCte("follow_ups", Select(_follow, withStart: false));
            var union = ctx.NewAlias("u");
            var next = ctx.NewAlias("n");
            var nextFollow = new WindowExpr(WindowKind.Min,
                new CaseExpr([new CaseWhen(S.Col(union, "is_end"), NullExpr.Instance)], S.Col(union, "t")),
                [S.Col(union, "k")], [new SqlOrder(S.Col(union, "t"))],
                new FrameBound(FrameBoundKind.Following, epsilon), new FrameBound(FrameBoundKind.UnboundedFollowing));
            var withNext = new SelectStatement
            {
                Columns = [new SelectItem(S.Col(union, "k"), "k"), new SelectItem(S.Col(union, "t"), "t"), new SelectItem(S.Col(union, "is_end"), "is_end"), new SelectItem(nextFollow, "next_t")],
                From = new UnionAllSource(
                [
                    new SelectStatement { Columns = [Out("k"), Out("t"), new SelectItem(BoolExpr.True, "is_end")], From = new CteSource(ends, ends) },
                    new SelectStatement { Columns = [Out("k"), Out("t"), new SelectItem(BoolExpr.False, "is_end")], From = new CteSource(follows, follows) },
                ], union),
            };
            final = new SelectStatement
            {
                Distinct = true,
                Columns = [new SelectItem(S.Col(next, "k"), "k")],
                From = new SubquerySource(withNext, next),
                Where = S.And(S.Col(next, "is_end"), S.Or(
                    new IsNullExpr(S.Col(next, "next_t")),
                    S.Cmp(BinaryOp.Greater, S.Col(next, "next_t"), S.Fn(SqlFunction.AddInterval, S.Col(next, "t"), p.Interval(wait.ToTimeSpan()))))),
            };
        }
        ctx.Ctes.Add(new CommonTableExpr(_name, final));
        return new SqlJoin(JoinKind.Left, new CteSource(_name, _name), S.Eq(S.Col(_name, "k"), S.Col(owner.Alias, _sourceKey)));
    }

    private SelectStatement Select(Candidate c, bool withStart)
    {
        // Timestamps are normalised to UTC wall time so steps over TIMESTAMP and TIMESTAMPTZ columns line up.
        var t = new CastExpr(c.Time, SqlType.Timestamp);
        return new SelectStatement
        {
            Columns = withStart
                ? [new SelectItem(c.Rows.Key, "k"), new SelectItem(t, "t"), new SelectItem(t, "l")]
                : [new SelectItem(c.Rows.Key, "k"), new SelectItem(t, "t")],
            From = _shared is null ? c.Rows.From : new CteSource(_shared, c.Rows.EndAlias),
            Joins = _shared is null ? [.. c.Rows.Joins, .. c.Scope.Finish(_ctx)] : [],
            Where = NullIfTrue(c.Filter),
        };
    }

    /// <summary>
    /// When every step and the follow-up read the same event table directly (one hop, no step conditions), they
    /// read it once: a materialized CTE with the rows any of them wants (the OR of their filters) and only the
    /// columns they use. Each stage still applies its own filter to it. Separate scans of a large event table,
    /// one per step, cost more than the stages themselves (docs/benchmarks.md, checkout_abandoners_7d).
    /// </summary>
    private void ShareScan()
    {
        var all = _follow is null ? _steps : [.. _steps, _follow];
        if (all.Count < 2 || all.Any(c => c.HasWhere || !c.Rows.Joins.IsEmpty || c.Rows.From is not TableSource)) return;
        var table = (TableSource)all[0].Rows.From;
        if (all.Any(c => c.Rows.From is not TableSource t || t.Schema != table.Schema || t.Name != table.Name)) return;
        var columns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in all)
        {
            var alias = c.Rows.EndAlias;
            if (!ExprFacts.Columns(c.Rows.Key, alias, columns) || !ExprFacts.Columns(c.Time, alias, columns) || !ExprFacts.Columns(c.Filter, alias, columns)) return;
        }
        var scan = _ctx.NewAlias("s");
        var wanted = all.Select(c => ExprFacts.Requalify(c.Filter, c.Rows.EndAlias, scan)).ToList();
        // Terms every filter has (the as-of cap, the window) are written once, so the engine can prune by them.
        var lists = wanted.Select(ExprFacts.Conjuncts).ToList();
        var common = lists[0].Where(t => lists.All(l => l.Any(x => ExprFacts.Key(x) == ExprFacts.Key(t)))).ToList();
        var commonKeys = common.Select(ExprFacts.Key).ToHashSet(StringComparer.Ordinal);
        var rest = lists.Select(l => S.And([.. l.Where(x => !commonKeys.Contains(ExprFacts.Key(x)))])).ToList();
        var where = S.And([.. common, rest.Any(r => r is BoolExpr { Value: true }) ? BoolExpr.True : S.Or(rest)]);
        var name = $"{_name}_events";
        _ctx.Ctes.Add(new CommonTableExpr(name, new SelectStatement
        {
            Columns = [.. columns.Select(c => new SelectItem(S.Col(scan, c), c))],
            From = table with { Alias = scan },
            Where = NullIfTrue(where),
        }) { MaterializedOnDuckDbOnly = true });
        _shared = name;
    }

    private string AddCte(string stage, SelectStatement statement)
    {
        var name = $"{_name}_{stage}";
        _ctx.Ctes.Add(new CommonTableExpr(name, statement));
        return name;
    }

    private static SelectItem Out(string column) => new(S.Col(null, column));

    private static SqlExpr? NullIfTrue(SqlExpr e) => e is BoolExpr { Value: true } ? null : e;
}
