using System.Collections.Immutable;
using Cohort.Sql.Ast;
using Cohort.Sql.Dialects;

namespace Cohort.Sql.Compile;

/// <summary>
/// Renumbers placeholders in order of first appearance and drops parameters no longer referenced (a branch the
/// compiler folded away). Engines such as DuckDB reject a statement whose parameter list has gaps.
/// </summary>
internal sealed class ParameterNumbering : SqlRewriter
{
    private readonly Dictionary<int, int> _map = [];

    public static (SelectStatement Statement, ImmutableArray<SqlParameter> Parameters) Apply(SelectStatement statement, ImmutableArray<SqlParameter> parameters)
    {
        var numbering = new ParameterNumbering();
        var renumbered = numbering.RewriteStatement(statement);
        var byOrdinal = parameters.ToDictionary(p => p.Ordinal);
        var kept = numbering._map
            .OrderBy(m => m.Value)
            .Select(m => byOrdinal[m.Key] with { Ordinal = m.Value })
            .ToImmutableArray();
        return (renumbered, kept);
    }

    protected override SqlExpr RewriteExpr(SqlExpr expr) => expr switch
    {
        ParamExpr p => new ParamExpr(Number(p.Ordinal)),
        DecimalParamExpr d => d with { Ordinal = Number(d.Ordinal) },
        _ => base.RewriteExpr(expr),
    };

    private int Number(int ordinal)
    {
        if (!_map.TryGetValue(ordinal, out var number))
        {
            number = _map.Count + 1;
            _map[ordinal] = number;
        }
        return number;
    }
}
