using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>A trait's value per parent row; an average also keeps its sum and count for exact comparisons.</summary>
internal sealed record TraitValue(SqlExpr Expr, DataType Type, SqlExpr? Sum = null, SqlExpr? Count = null);

/// <summary>Compiles traits (docs/semantics.md section 10) into aggregates of the parent scope's grouped passes.</summary>
internal sealed class TraitCompiler(CompileContext ctx, ConditionCompiler conditions, PropertyTests tests)
{
    private readonly Dictionary<(Scope, string), TraitValue> _values = [];

    public SqlExpr Test(TraitCondition condition, Scope scope)
    {
        var value = Value(Find(condition.Trait), scope);
        return value.Sum is not null
            ? tests.CompileAverage(value.Sum, value.Count!, condition.Test)
            : tests.Compile(value.Expr, value.Type, condition.Test);
    }

    public TraitDefinition Find(string name) =>
        ctx.Schema.FindTrait(name) ?? throw new InvalidOperationException($"Trait '{name}' is not defined; validate the audience first.");

    public TraitValue Value(TraitDefinition trait, Scope scope)
    {
        if (_values.TryGetValue((scope, trait.Name), out var known)) return known;
        var path = ConditionCompiler.Resolve(ctx.Index.ResolvePath(scope.Model, trait.Path));
        var value = trait.Kind == TraitKind.MostFrequent
            ? MostFrequentPass.Compile(trait, path, scope, ctx, conditions)
            : Aggregate(trait, scope.AggregatePassFor(path, ctx, windowed: trait.Window is not TimeWindow.Ever));
        _values[(scope, trait.Name)] = value;
        return value;
    }

    /// <summary>Which reached rows a trait aggregates: event names and the asOf cap for events, its window, its where.</summary>
    public static SqlExpr RowFilter(TraitDefinition trait, Scope end, ConditionCompiler conditions)
    {
        var model = end.Model;
        var t = model.TimestampColumn is null ? null : S.Col(end.Alias, model.TimestampColumn);
        SqlExpr time;
        if (model.Kind == ModelKind.Event)
            time = S.And(conditions.AsOfCap(t!), conditions.EventNames(model, end.Alias, trait.EventNames), conditions.Window(t!, trait.Window));
        else if (trait.Window is TimeWindow.Ever)
            time = BoolExpr.True;
        else
            time = S.And(conditions.AsOfCap(t!), conditions.Window(t!, trait.Window));
        return S.And(time, trait.Where is null ? BoolExpr.True : conditions.Compile(trait.Where, end));
    }

    private TraitValue Aggregate(TraitDefinition trait, AggregatePass pass)
    {
        var filter = RowFilter(trait, pass.End, conditions);
        var model = pass.End.Model;
        var column = trait.Column is null ? null : S.Col(pass.End.Alias, trait.Column);
        var type = trait.Column is null ? DataType.Integer : ctx.ColumnType(model, trait.Column);
        var zero = new IntExpr(0);
        switch (trait.Kind)
        {
            case TraitKind.Count:
                return new(S.Coalesce(pass.Add(AggregateKind.CountStar, null, filter), zero), DataType.Integer);
            case TraitKind.Sum:
                return new(S.Coalesce(pass.Add(AggregateKind.Sum, column, filter), zero), type);
            case TraitKind.Avg:
                var sum = pass.Add(AggregateKind.Sum, column, filter);
                var count = pass.Add(AggregateKind.Count, column, filter);
                return new(S.Fn(SqlFunction.Average, sum, count), DataType.Number, sum, count);
            case TraitKind.Min:
                return new(pass.Add(AggregateKind.Min, column, filter), type);
            case TraitKind.Max:
                return new(pass.Add(AggregateKind.Max, column, filter), type);
            case TraitKind.First or TraitKind.Last:
                var t = S.Col(pass.End.Alias, model.TimestampColumn!);
                var present = S.And(filter, new IsNullExpr(column!, Negated: true), new IsNullExpr(t, Negated: true));
                return new(pass.Add(AggregateKind.FirstByOrder, column, present,
                    [new SqlOrder(t, Descending: trait.Kind == TraitKind.Last), new SqlOrder(Ordered(column!, type))]), type);
            case TraitKind.DistinctCount:
                return new(S.Coalesce(pass.Add(AggregateKind.CountDistinct, column, filter), zero), DataType.Integer);
            case TraitKind.List:
                return new(pass.Add(AggregateKind.SortedDistinctList, Ordered(column!, type),
                    S.And(filter, new IsNullExpr(column!, Negated: true))), DataType.ArrayOf(type.Element));
            default:
                throw new InvalidOperationException($"Trait kind {trait.Kind} is compiled elsewhere.");
        }
    }

    /// <summary>Strings order by code point on every engine.</summary>
    public static SqlExpr Ordered(SqlExpr value, DataType type) =>
        type == DataType.String ? S.Fn(SqlFunction.BinaryCollate, value) : value;
}

/// <summary>
/// The most frequent value per context row, ties to the smallest value: one ranked, grouped pass per trait.
/// </summary>
internal sealed class MostFrequentPass : IJoinedPass
{
    private readonly TraitDefinition _trait;
    private readonly PathRows _rows;
    private readonly Scope _end;
    private readonly SqlExpr _filter;
    private readonly DataType _type;
    private readonly string _name;
    private readonly string _sourceKey;

    private MostFrequentPass(TraitDefinition trait, RelationPath path, CompileContext ctx, ConditionCompiler conditions)
    {
        _trait = trait;
        _rows = PathRows.Build(path, ctx);
        _end = new Scope(path.End, _rows.EndAlias);
        _filter = TraitCompiler.RowFilter(trait, _end, conditions);
        _type = ctx.ColumnType(path.End, trait.Column!);
        _name = ctx.NewName("most_frequent_" + trait.Name);
        _sourceKey = path.Hops[0].SourceKey;
    }

    public bool IsUsed => true;

    public static TraitValue Compile(TraitDefinition trait, RelationPath path, Scope scope, CompileContext ctx, ConditionCompiler conditions)
    {
        var pass = new MostFrequentPass(trait, path, ctx, conditions);
        scope.AddPass(pass);
        return new TraitValue(S.Col(pass._name, "v"), pass._type);
    }

    public SqlJoin Finish(CompileContext ctx, Scope owner)
    {
        var column = S.Col(_end.Alias, _trait.Column!);
        var grouped = new SelectStatement
        {
            Columns =
            [
                new SelectItem(_rows.Key, "k"),
                new SelectItem(column, "v"),
                new SelectItem(new WindowExpr(WindowKind.RowNumber, null, [_rows.Key],
                    [new SqlOrder(new AggregateExpr(AggregateKind.CountStar), Descending: true), new SqlOrder(TraitCompiler.Ordered(column, _type))]), "rn"),
            ],
            From = _rows.From,
            Joins = [.. _rows.Joins, .. _end.Finish(ctx)],
            Where = S.And(_filter, new IsNullExpr(column, Negated: true)),
            GroupBy = [_rows.Key, column],
        };
        var ranked = ctx.NewAlias("ranked");
        ctx.Ctes.Add(new CommonTableExpr(_name, new SelectStatement
        {
            Columns = [new SelectItem(S.Col(ranked, "k"), "k"), new SelectItem(S.Col(ranked, "v"), "v")],
            From = new SubquerySource(grouped, ranked),
            Where = S.Eq(S.Col(ranked, "rn"), new IntExpr(1)),
        }));
        return new SqlJoin(JoinKind.Left, new CteSource(_name, _name), S.Eq(S.Col(_name, "k"), S.Col(owner.Alias, _sourceKey)));
    }
}
