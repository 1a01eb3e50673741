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

    private sealed record Candidate(PathRows Rows, Scope Scope, SqlExpr Filter, ColumnExpr Time);

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
        return new Candidate(rows, stepScope, filter, t);
    }

    public SqlJoin Finish(CompileContext ctx, Scope owner)
    {
        var p = ctx.Parameters;
        var epsilon = p.Interval(TimeSpan.FromTicks(10)); // one microsecond: "strictly before" on microsecond timestamps
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
            From = c.Rows.From,
            Joins = [.. c.Rows.Joins, .. c.Scope.Finish(_ctx)],
            Where = NullIfTrue(c.Filter),
        };
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
