using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql.Ast;
using Cohort.Sql.Dialects;
using Cohort.Sql.Emit;

namespace Cohort.Sql.Compile;

/// <summary>Extra columns for a members query.</summary>
public sealed record MemberColumns(
    IReadOnlyList<string>? Columns = null,
    IReadOnlyList<string>? Traits = null,
    bool SplitGroup = false);

/// <summary>
/// The public face of the compiler: one SQL statement per question about an audience (members, count, counts per
/// block, breakdown, overlap, sample). Audiences must be validated and bound first; the compiler trusts names and
/// literal types and throws <see cref="InvalidOperationException"/> on anything that validation should have caught.
/// </summary>
public sealed class AudienceCompiler
{
    private readonly SchemaIndex _index;
    private readonly IReadOnlyDictionary<string, AudienceDefinition> _audiences;

    public AudienceCompiler(SchemaDefinition schema, IEnumerable<AudienceDefinition> audiences)
    {
        _index = new SchemaIndex(schema);
        _audiences = audiences.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public SchemaDefinition Schema => _index.Schema;

    /// <summary>Keys of the members (output column <c>key</c>), optionally with parent columns, traits and the split group.</summary>
    public CompiledSql Members(AudienceDefinition audience, EvaluationContext evaluation, SqlDialectName dialect, MemberColumns? extra = null)
    {
        var q = Start(audience, evaluation);
        var columns = new List<SelectItem> { new(q.Key, "key") };
        foreach (var column in extra?.Columns ?? []) columns.Add(new SelectItem(S.Col(q.Root.Alias, column), column));
        foreach (var trait in extra?.Traits ?? [])
            columns.Add(new SelectItem(q.Compiler.Traits.Value(q.Compiler.Traits.Find(trait), q.Root).Expr, trait));
        if (extra?.SplitGroup == true && audience.Splits is { } splits) columns.Add(new SelectItem(SplitGroup(splits, q), "split_group"));
        var membership = q.Compiler.Membership(audience.Name, q.Root);
        return q.Finish(new SelectStatement { Columns = [.. columns], Where = S.And(q.KeyPresent, membership) }, dialect, $"Members of audience '{audience.Name}'");
    }

    public CompiledSql Count(AudienceDefinition audience, EvaluationContext evaluation, SqlDialectName dialect)
    {
        var q = Start(audience, evaluation);
        var membership = q.Compiler.Membership(audience.Name, q.Root);
        return q.Finish(new SelectStatement
        {
            Columns = [new SelectItem(new AggregateExpr(AggregateKind.CountStar), "count")],
            Where = S.And(q.KeyPresent, membership),
        }, dialect, $"Size of audience '{audience.Name}'");
    }

    /// <summary>
    /// The blocks a preview narrows by: the children of a top-level <c>all</c> (or the whole condition), then one
    /// block per exclusion.
    /// </summary>
    public static IReadOnlyList<Condition> TopLevelBlocks(AudienceDefinition audience) => audience.Condition switch
    {
        null => [],
        AllCondition all => all.Conditions,
        var single => [single],
    };

    /// <summary>
    /// One row: <c>block_1</c> … <c>block_n</c> counts rows passing blocks 1..i cumulatively, then <c>excluded_1</c> …
    /// after each exclusion, and <c>total</c> the final size after the size limit. One scan for all of them.
    /// </summary>
    public CompiledSql BlockCounts(AudienceDefinition audience, EvaluationContext evaluation, SqlDialectName dialect)
    {
        var q = Start(audience, evaluation);
        var columns = new List<SelectItem>();
        SqlExpr running = BoolExpr.True;
        SqlExpr? first = null;
        var blocks = TopLevelBlocks(audience);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = q.Compiler.Compile(blocks[i], q.Root);
            first ??= block;
            running = S.And(running, block);
            columns.Add(new SelectItem(CountWhere(running), $"block_{i + 1}"));
        }
        for (var i = 0; i < audience.Exclusions.Length; i++)
        {
            running = S.And(running, S.Not(q.Compiler.Membership(audience.Exclusions[i], q.Root)));
            columns.Add(new SelectItem(CountWhere(running), $"excluded_{i + 1}"));
        }
        SqlExpr total = CountWhere(running);
        if (audience.Limit is { } limit)
            total = new CaseExpr([new CaseWhen(S.Cmp(BinaryOp.Greater, total, new IntExpr(limit.Size)), new IntExpr(limit.Size))], total);
        columns.Add(new SelectItem(total, "total"));
        // Every count includes the first block, so rows failing it can be dropped up front (which also lets the
        // derived tables read only what the first block keeps).
        return q.Finish(new SelectStatement { Columns = [.. columns], Where = first is null ? q.KeyPresent : S.And(q.KeyPresent, first) }, dialect,
            $"Counts after each top-level block of audience '{audience.Name}'");
    }

    /// <summary>
    /// One row per parent key for which at least one condition holds: <c>k</c>, then <c>f1</c> … <c>fn</c>, whether
    /// each condition holds. One scan for all of them; the preview cache stores each column as a key set.
    /// </summary>
    public CompiledSql ConditionFlags(string model, IReadOnlyList<Condition> conditions, EvaluationContext evaluation, SqlDialectName dialect)
    {
        if (conditions.Count == 0) throw new ArgumentException("At least one condition is needed.", nameof(conditions));
        var q = Start(new AudienceDefinition("__flags__", model, null), evaluation);
        var flags = conditions.Select(c => q.Compiler.Compile(c, q.Root)).ToList();
        return q.Finish(new SelectStatement
        {
            Columns = [new SelectItem(q.Key, "k"), .. flags.Select((f, i) => new SelectItem(f, $"f{i + 1}"))],
            Where = S.And(q.KeyPresent, S.Or(flags)),
        }, dialect, $"Keys of {model} matching each of {conditions.Count} condition(s)");
    }

    /// <summary>Member counts grouped by a parent column (<c>value</c>, <c>count</c>), largest first.</summary>
    public CompiledSql Breakdown(AudienceDefinition audience, EvaluationContext evaluation, SqlDialectName dialect, string column, int maxGroups = 50)
    {
        var q = Start(audience, evaluation);
        var value = S.Col(q.Root.Alias, column);
        var count = new AggregateExpr(AggregateKind.CountStar);
        var type = _index.Schema.GetModel(audience.Model).FindColumn(column)?.Type
            ?? throw new InvalidOperationException($"Column '{column}' is not in model '{audience.Model}'.");
        return q.Finish(new SelectStatement
        {
            Columns = [new SelectItem(value, "value"), new SelectItem(count, "count")],
            Where = S.And(q.KeyPresent, q.Compiler.Membership(audience.Name, q.Root)),
            GroupBy = [value],
            OrderBy = [new SqlOrder(count, Descending: true), new SqlOrder(TraitCompiler.Ordered(value, type))],
            Limit = maxGroups,
        }, dialect, $"Breakdown of audience '{audience.Name}' by {column}");
    }

    /// <summary>
    /// Sizes and pairwise intersections of audiences over the same model, in one scan: <c>size_i</c> and
    /// <c>both_i_j</c> (1-based, i &lt; j), plus <c>all</c> when there are more than two.
    /// </summary>
    public CompiledSql Overlap(IReadOnlyList<AudienceDefinition> audiences, EvaluationContext evaluation, SqlDialectName dialect)
    {
        if (audiences.Count < 2) throw new ArgumentException("Overlap needs at least two audiences.", nameof(audiences));
        if (audiences.Select(a => a.Model).Distinct().Count() > 1)
            throw new ArgumentException("Overlapping audiences must share a parent model.", nameof(audiences));
        var q = Start(audiences[0], evaluation);
        var members = audiences.Select(a => q.Compiler.Membership(a.Name, q.Root)).ToList();
        var columns = new List<SelectItem>();
        for (var i = 0; i < members.Count; i++) columns.Add(new SelectItem(CountWhere(members[i]), $"size_{i + 1}"));
        for (var i = 0; i < members.Count; i++)
            for (var j = i + 1; j < members.Count; j++)
                columns.Add(new SelectItem(CountWhere(S.And(members[i], members[j])), $"both_{i + 1}_{j + 1}"));
        if (members.Count > 2) columns.Add(new SelectItem(CountWhere(S.And(members)), "all"));
        return q.Finish(new SelectStatement { Columns = [.. columns], Where = q.KeyPresent }, dialect,
            $"Overlap of audiences {string.Join(", ", audiences.Select(a => a.Name))}");
    }

    /// <summary>The first <paramref name="size"/> members by key, with the given parent columns.</summary>
    public CompiledSql Sample(AudienceDefinition audience, EvaluationContext evaluation, SqlDialectName dialect, IReadOnlyList<string> columns, int size)
    {
        var q = Start(audience, evaluation);
        var keyType = _index.Schema.GetModel(audience.Model).FindColumn(q.KeyColumn)?.Type ?? DataType.String;
        return q.Finish(new SelectStatement
        {
            Columns = [new SelectItem(q.Key, "key"), .. columns.Select(c => new SelectItem(S.Col(q.Root.Alias, c), c))],
            Where = S.And(q.KeyPresent, q.Compiler.Membership(audience.Name, q.Root)),
            OrderBy = [new SqlOrder(TraitCompiler.Ordered(q.Key, keyType))],
            Limit = size,
        }, dialect, $"Sample of audience '{audience.Name}'");
    }

    private static AggregateExpr CountWhere(SqlExpr predicate) =>
        new(AggregateKind.CountStar, null, predicate is BoolExpr { Value: true } ? null : predicate);

    private static SqlExpr SplitGroup(SplitDefinition splits, Query q)
    {
        var bucket = S.Fn(SqlFunction.SplitBucket, q.Context.Parameters.String(splits.Salt), q.Key);
        var whens = new List<CaseWhen>();
        var upper = 0m;
        foreach (var group in splits.Groups.Take(splits.Groups.Length - 1))
        {
            upper += group.Percent * 100;
            whens.Add(new CaseWhen(S.Cmp(BinaryOp.Less, bucket, new IntExpr((long)upper)), q.Context.Parameters.String(group.Name)));
        }
        return new CaseExpr([.. whens], q.Context.Parameters.String(splits.Groups[^1].Name));
    }

    private Query Start(AudienceDefinition audience, EvaluationContext evaluation)
    {
        var parent = _index.Schema.FindModel(audience.Model) ?? throw new InvalidOperationException($"Model '{audience.Model}' is not in the schema.");
        var ctx = new CompileContext(_index, WithCurrent(audience), evaluation);
        var compiler = new ConditionCompiler(ctx);
        var query = new Query(ctx, compiler, new Scope(parent, "p"));
        compiler.LimitedMembers = query.LimitedMembers;
        return query;
    }

    private IReadOnlyDictionary<string, AudienceDefinition> WithCurrent(AudienceDefinition audience)
    {
        if (_audiences.TryGetValue(audience.Name, out var known) && ReferenceEquals(known, audience)) return _audiences;
        var copy = new Dictionary<string, AudienceDefinition>(_audiences, StringComparer.Ordinal) { [audience.Name] = audience };
        return copy;
    }

    /// <summary>One statement under construction over the parent model.</summary>
    private sealed class Query(CompileContext context, ConditionCompiler compiler, Scope root)
    {
        public CompileContext Context { get; } = context;
        public ConditionCompiler Compiler { get; } = compiler;
        public Scope Root { get; } = root;
        public string KeyColumn => Root.Model.PrimaryKey ?? throw new InvalidOperationException($"Parent model '{Root.Model.Name}' has no primary key.");
        public ColumnExpr Key => S.Col(Root.Alias, KeyColumn);
        public SqlExpr KeyPresent => new IsNullExpr(Key, Negated: true);

        /// <summary>The members of a size-limited audience: its rows in limit order, cut to the limit.</summary>
        public SelectStatement LimitedMembers(AudienceDefinition audience)
        {
            var scope = new Scope(Root.Model, Context.NewAlias("m"));
            var key = S.Col(scope.Alias, KeyColumn);
            var keyType = Root.Model.FindColumn(KeyColumn)?.Type ?? DataType.String;
            var limit = audience.Limit!;
            var where = S.And(new IsNullExpr(key, Negated: true), Compiler.Unlimited(audience, scope));
            var order = new List<SqlOrder>();
            foreach (var term in limit.OrderBy)
            {
                var (value, type) = term.Source == OrderSource.Column
                    ? ((SqlExpr)S.Col(scope.Alias, term.Name), Context.ColumnType(Root.Model, term.Name))
                    : TraitOrder(term.Name, scope);
                order.Add(new SqlOrder(TraitCompiler.Ordered(value, type), term.Descending));
            }
            if (limit.OrderBy.IsEmpty)
            {
                var salt = audience.Splits?.Salt ?? audience.Name;
                order.Add(new SqlOrder(S.Fn(SqlFunction.SplitBucket, Context.Parameters.String(salt), key)));
            }
            order.Add(new SqlOrder(TraitCompiler.Ordered(key, keyType)));
            return new SelectStatement
            {
                Columns = [new SelectItem(key, "key")],
                From = Context.Source(Root.Model, scope.Alias),
                Joins = [.. scope.Finish(Context)],
                Where = where,
                OrderBy = [.. order],
                Limit = limit.Size,
            };
        }

        private (SqlExpr, DataType) TraitOrder(string trait, Scope scope)
        {
            var value = Compiler.Traits.Value(Compiler.Traits.Find(trait), scope);
            return (value.Expr, value.Type);
        }

        public CompiledSql Finish(SelectStatement body, SqlDialectName dialectName, string comment)
        {
            var joins = NullRejection.Tighten(Root.Finish(Context), body.Where is null ? [] : [body.Where], Context.Parameters);
            ParentRestriction.Apply(Context, Context.Source(Root.Model, Root.Alias), Root.Alias, Key, joins, body.Where);
            var statement = body with
            {
                With = [.. Context.Ctes],
                From = Context.Source(Root.Model, Root.Alias),
                Joins = [.. joins, .. body.Joins],
                Comment = comment,
            };
            var dialect = SqlDialect.For(dialectName);
            var lowered = Lowering.Lower(statement, dialect);
            var (numbered, parameters) = ParameterNumbering.Apply(lowered, Context.Parameters.ToImmutable());
            return new CompiledSql(dialectName, SqlEmitter.Print(numbered, dialect), parameters);
        }
    }
}
