using System.Collections.Immutable;

namespace Cohort.Sql.Ast;

public sealed record SelectItem(SqlExpr Expr, string? Alias = null);

public abstract record FromItem(string Alias);

/// <summary>A warehouse table; the schema and name come from the validated schema and are quoted by the emitter.</summary>
public sealed record TableSource(string? Schema, string Name, string Alias) : FromItem(Alias);

/// <summary>A model defined by SQL in the schema, used verbatim as a derived table.</summary>
public sealed record ModelQuerySource(string Sql, string Alias) : FromItem(Alias);

public sealed record SubquerySource(SelectStatement Query, string Alias) : FromItem(Alias);

/// <summary>UNION ALL of several selects with the same columns.</summary>
public sealed record UnionAllSource(ImmutableArray<SelectStatement> Parts, string Alias) : FromItem(Alias);

public sealed record CteSource(string Name, string Alias) : FromItem(Alias);

public enum JoinKind
{
    Inner,
    Left,
}

public sealed record SqlJoin(JoinKind Kind, FromItem Item, SqlExpr On);

/// <summary>
/// A named subquery. <see cref="Materialized"/> asks the engine to compute it once, as written, before the outer
/// query may push anything into it.
/// </summary>
public sealed record CommonTableExpr(string Name, SelectStatement Query, bool Materialized = false)
{
    /// <summary>
    /// Materialized on DuckDB only; PostgreSQL inlines it into each reader (<c>NOT MATERIALIZED</c>). For a shared
    /// scan: PostgreSQL plans a materialized CTE without statistics (a few rows), and a wrong nested loop follows.
    /// </summary>
    public bool MaterializedOnDuckDbOnly { get; init; }
}

public sealed record SelectStatement
{
    public ImmutableArray<CommonTableExpr> With { get; init; } = [];
    public bool Distinct { get; init; }
    public ImmutableArray<SelectItem> Columns { get; init; } = [];
    public FromItem? From { get; init; }
    public ImmutableArray<SqlJoin> Joins { get; init; } = [];
    public SqlExpr? Where { get; init; }
    public ImmutableArray<SqlExpr> GroupBy { get; init; } = [];
    public ImmutableArray<SqlOrder> OrderBy { get; init; } = [];
    public long? Limit { get; init; }
    /// <summary>A short comment printed above the statement to help people read generated SQL.</summary>
    public string? Comment { get; init; }
}
