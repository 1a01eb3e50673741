using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// Turns a condition tree into a two-valued predicate over the rows of a <see cref="Scope"/>. Conditions over
/// related and event rows add aggregates to the scope's grouped passes; the predicate reads their outputs.
/// </summary>
internal sealed class ConditionCompiler
{
    private readonly CompileContext _ctx;
    private readonly PropertyTests _tests;
    private readonly TraitCompiler _traits;

    public ConditionCompiler(CompileContext ctx)
    {
        _ctx = ctx;
        _tests = new PropertyTests(ctx);
        _traits = new TraitCompiler(ctx, this, _tests);
    }

    public PropertyTests Tests => _tests;

    public TraitCompiler Traits => _traits;

    /// <summary>Set by the audience compiler: builds the membership of a size-limited audience as a statement.</summary>
    public Func<AudienceDefinition, SelectStatement>? LimitedMembers { get; set; }

    public SqlExpr Compile(Condition condition, Scope scope) => condition switch
    {
        AllCondition all => S.And(all.Conditions.Select(c => Compile(c, scope))),
        AnyCondition any => S.Or(any.Conditions.Select(c => Compile(c, scope))),
        NotCondition not => S.Not(Compile(not.Inner, scope)),
        PropertyCondition p => _tests.Compile(S.Col(scope.Alias, p.Column), _ctx.ColumnType(scope.Model, p.Column), p.Test),
        EventCondition e => Event(e, scope),
        SequenceCondition s => SequencePass.Compile(s, scope, _ctx, this),
        RelationCondition r => Relation(r, scope),
        TraitCondition t => _traits.Test(t, scope),
        AudienceCondition a => a.Member ? Membership(a.Audience, scope) : S.Not(Membership(a.Audience, scope)),
        _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
    };

    /// <summary>Membership of an audience for the rows of a parent scope: inlined, or read from its limited result.</summary>
    public SqlExpr Membership(string audienceName, Scope scope)
    {
        var memoKey = "audience:" + audienceName;
        if (scope.Memo.TryGetValue(memoKey, out var memo)) return memo;
        var audience = _ctx.Audiences.TryGetValue(audienceName, out var found)
            ? found
            : throw new InvalidOperationException($"Audience '{audienceName}' is not defined; validate the audience first.");
        SqlExpr membership;
        if (audience.Limit is null)
        {
            membership = Unlimited(audience, scope);
        }
        else
        {
            var name = _ctx.NewName("audience_" + audience.Name);
            // Materialised: DuckDB's join filter pushdown has been seen to push the outer join's keys below the
            // ORDER BY ... LIMIT (a wrong top-N, found by the differential tests); computing it first prevents that.
            _ctx.Ctes.Add(new CommonTableExpr(name, LimitedMembers!(audience), Materialized: true));
            scope.AddPass(new MembershipPass(name, scope.Model.PrimaryKey!));
            membership = new IsNullExpr(S.Col(name, "key"), Negated: true);
        }
        scope.Memo[memoKey] = membership;
        return membership;
    }

    /// <summary>An audience's condition minus its exclusions, before any size limit.</summary>
    public SqlExpr Unlimited(AudienceDefinition audience, Scope scope) => S.And(
        [
            audience.Condition is null ? BoolExpr.True : Compile(audience.Condition, scope),
            .. audience.Exclusions.Select(x => S.Not(Membership(x, scope))),
        ]);

    private SqlExpr Event(EventCondition e, Scope scope)
    {
        var path = Resolve(_ctx.Index.ResolveEventPath(scope.Model, e.Model, e.Names));
        var pass = scope.AggregatePassFor(path, _ctx, windowed: e.Window is not TimeWindow.Ever);
        var model = pass.End.Model;
        var t = S.Col(pass.End.Alias, model.TimestampColumn!);
        var filter = S.And(
            AsOfCap(t),
            EventNames(model, pass.End.Alias, e.Names),
            Window(t, e.Window),
            e.Where is null ? BoolExpr.True : Compile(e.Where, pass.End));
        return Measure(e.Measure, pass, filter, t);
    }

    private SqlExpr Relation(RelationCondition r, Scope scope)
    {
        var path = Resolve(_ctx.Index.ResolvePath(scope.Model, r.Path));
        var pass = scope.AggregatePassFor(path, _ctx, windowed: r.Window is not TimeWindow.Ever);
        var model = pass.End.Model;
        var t = model.TimestampColumn is null ? null : S.Col(pass.End.Alias, model.TimestampColumn);
        var timeFilter = r.Window is TimeWindow.Ever
            ? BoolExpr.True
            : S.And(AsOfCap(t ?? throw NeedsTimestamp(model)), Window(t, r.Window));
        var filter = S.And(timeFilter, r.Where is null ? BoolExpr.True : Compile(r.Where, pass.End));
        return Measure(r.Measure, pass, filter, t);
    }

    /// <summary>A measure over the rows of <paramref name="pass"/> that match <paramref name="filter"/>.</summary>
    public SqlExpr Measure(Measure measure, AggregatePass pass, SqlExpr filter, ColumnExpr? timestamp)
    {
        switch (measure)
        {
            case Measure.Count c:
                var presence = c.Comparator is { Operator: CountOperator.AtLeast, Value: <= 1 } or { Operator: CountOperator.AtMost or CountOperator.Exactly, Value: 0 };
                var count = S.Coalesce(pass.Add(AggregateKind.CountStar, null, filter, onlyPresence: presence), new IntExpr(0));
                return Counts(count, c.Comparator);
            case Measure.Aggregate a:
                var column = S.Col(pass.End.Alias, a.Column);
                var type = _ctx.ColumnType(pass.End.Model, a.Column);
                switch (a.Function)
                {
                    case AggregateFunction.Sum:
                        return _tests.Compile(S.Coalesce(pass.Add(AggregateKind.Sum, column, filter), new IntExpr(0)), type, a.Test);
                    case AggregateFunction.Avg:
                        var values = pass.Add(AggregateKind.Count, column, filter);
                        return S.And(S.Cmp(BinaryOp.Greater, S.Coalesce(values, new IntExpr(0)), new IntExpr(0)),
                            _tests.CompileAverage(pass.Add(AggregateKind.Sum, column, filter), values, a.Test));
                    case AggregateFunction.Min or AggregateFunction.Max:
                        var kind = a.Function == AggregateFunction.Min ? AggregateKind.Min : AggregateKind.Max;
                        return WhenPresent(pass.Add(kind, column, filter), type, a.Test);
                    default:
                        throw new InvalidOperationException($"Unknown aggregate {a.Function}.");
                }
            case Measure.FirstOccurrence f:
                return WhenPresent(pass.Add(AggregateKind.Min, timestamp ?? throw NeedsTimestamp(pass.End.Model), filter), DataType.Timestamp, f.Test);
            case Measure.LastOccurrence l:
                return WhenPresent(pass.Add(AggregateKind.Max, timestamp ?? throw NeedsTimestamp(pass.End.Model), filter), DataType.Timestamp, l.Test);
            default:
                throw new InvalidOperationException($"Unknown measure {measure.GetType().Name}.");
        }
    }

    /// <summary>
    /// Measures over no rows (average, minimum, maximum, first or last occurrence) are false whatever the test,
    /// negative operators included (docs/semantics.md section 6).
    /// </summary>
    private SqlExpr WhenPresent(SqlExpr value, DataType type, PropertyTest test) =>
        S.And(new IsNullExpr(value, Negated: true), _tests.Compile(value, type, test));

    private SqlExpr Counts(SqlExpr count, CountComparator c) => c.Operator switch
    {
        CountOperator.AtLeast => S.Cmp(BinaryOp.GreaterOrEqual, count, _ctx.Parameters.Integer(c.Value)),
        CountOperator.AtMost => S.Cmp(BinaryOp.LessOrEqual, count, _ctx.Parameters.Integer(c.Value)),
        CountOperator.Exactly => S.Eq(count, _ctx.Parameters.Integer(c.Value)),
        CountOperator.Between => S.And(
            S.Cmp(BinaryOp.GreaterOrEqual, count, _ctx.Parameters.Integer(c.Value)),
            S.Cmp(BinaryOp.LessOrEqual, count, _ctx.Parameters.Integer(c.High))),
        _ => throw new InvalidOperationException($"Unknown count operator {c.Operator}."),
    };

    /// <summary>Events after asOf never count (and a NULL timestamp never passes).</summary>
    public SqlExpr AsOfCap(SqlExpr t) => S.Cmp(BinaryOp.LessOrEqual, t, _ctx.Parameters.Timestamp(_ctx.Evaluation.AsOfUtc));

    public SqlExpr EventNames(ModelDefinition model, string alias, IReadOnlyCollection<string> names)
    {
        if (model.EventNameColumn is null || names.Count == 0) return BoolExpr.True;
        var column = S.Col(alias, model.EventNameColumn);
        var items = names.Distinct().Select(n => (SqlExpr)_ctx.Parameters.String(n)).ToList();
        return items.Count == 1 ? S.Eq(column, items[0]) : new InExpr(column, [.. items]);
    }

    /// <summary>The lower (and for between_ago and during, upper) edges of a window; the asOf cap is separate.</summary>
    public SqlExpr Window(SqlExpr t, TimeWindow window)
    {
        var asOf = _ctx.Evaluation.AsOfUtc;
        var p = _ctx.Parameters;
        return window switch
        {
            TimeWindow.Ever => BoolExpr.True,
            TimeWindow.WithinLast w => S.Cmp(BinaryOp.GreaterOrEqual, t, p.Timestamp(TimeMath.Subtract(asOf, w.Duration))),
            TimeWindow.BetweenAgo b => S.And(
                S.Cmp(BinaryOp.GreaterOrEqual, t, p.Timestamp(TimeMath.Subtract(asOf, b.Far))),
                S.Cmp(BinaryOp.LessOrEqual, t, p.Timestamp(TimeMath.Subtract(asOf, b.Near)))),
            TimeWindow.Absolute a => S.And(_tests.LowerBound(t, a.From), _tests.UpperBound(t, a.To)),
            _ => throw new InvalidOperationException($"Unknown window {window.GetType().Name}."),
        };
    }

    /// <summary>Only the lower edge of <paramref name="window"/>: a cheap superset filter for rows that can only matter after
    /// something inside the window (e.g. the follow-up events of a sequence).</summary>
    public SqlExpr WindowStart(SqlExpr t, TimeWindow window)
    {
        var asOf = _ctx.Evaluation.AsOfUtc;
        var p = _ctx.Parameters;
        return window switch
        {
            TimeWindow.Ever => BoolExpr.True,
            TimeWindow.WithinLast w => S.Cmp(BinaryOp.GreaterOrEqual, t, p.Timestamp(TimeMath.Subtract(asOf, w.Duration))),
            TimeWindow.BetweenAgo b => S.Cmp(BinaryOp.GreaterOrEqual, t, p.Timestamp(TimeMath.Subtract(asOf, b.Far))),
            TimeWindow.Absolute a => _tests.LowerBound(t, a.From),
            _ => throw new InvalidOperationException($"Unknown window {window.GetType().Name}."),
        };
    }

    public static T Resolve<T>(Resolution<T> resolution) where T : class =>
        resolution.Value ?? throw new InvalidOperationException(resolution.Error + " Validate the audience first.");

    private static InvalidOperationException NeedsTimestamp(ModelDefinition model) =>
        new($"Model '{model.Name}' has no timestamp column, so it cannot be windowed; validate the audience first.");
}

/// <summary>The membership of a size-limited audience, read from its own common table expression.</summary>
internal sealed class MembershipPass(string cteName, string parentKey) : IJoinedPass
{
    public bool IsUsed => true;

    public SqlJoin Finish(CompileContext ctx, Scope owner) =>
        new(JoinKind.Left, new CteSource(cteName, cteName), S.Eq(S.Col(cteName, "key"), S.Col(owner.Alias, parentKey)));
}
