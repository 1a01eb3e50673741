using System.Collections.Immutable;

namespace Cohort.Sql.Ast;

/// <summary>
/// A dialect-neutral SQL expression. Built by the compiler, rewritten by lowering passes, printed by an emitter.
/// User values only ever appear as <see cref="ParamExpr"/>; <see cref="IntExpr"/> holds compiler-generated constants.
/// </summary>
public abstract record SqlExpr;

/// <summary>A column of a table alias (the alias may be null for an unqualified output column).</summary>
public sealed record ColumnExpr(string? Qualifier, string Name) : SqlExpr;

/// <summary><c>alias.*</c></summary>
public sealed record StarExpr(string? Qualifier) : SqlExpr;

public sealed record ParamExpr(int Ordinal) : SqlExpr;

/// <summary>
/// A decimal parameter with the precision and scale its value needs. Some engines (DuckDB) otherwise type a
/// parameter from what it is compared with, so 17.5 against an integer column would be bound as 17.
/// </summary>
public sealed record DecimalParamExpr(int Ordinal, int Precision, int Scale) : SqlExpr;

/// <summary>An integer constant chosen by the compiler (never a user value).</summary>
public sealed record IntExpr(long Value) : SqlExpr;

public sealed record BoolExpr(bool Value) : SqlExpr
{
    public static readonly BoolExpr True = new(true);
    public static readonly BoolExpr False = new(false);
}

public sealed record NullExpr : SqlExpr
{
    public static readonly NullExpr Instance = new();
}

public enum BinaryOp
{
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Modulo,
    Concat,
}

public sealed record BinaryExpr(BinaryOp Op, SqlExpr Left, SqlExpr Right) : SqlExpr;

public sealed record NotExpr(SqlExpr Operand) : SqlExpr;

public sealed record IsNullExpr(SqlExpr Operand, bool Negated = false) : SqlExpr;

public sealed record InExpr(SqlExpr Operand, ImmutableArray<SqlExpr> Items) : SqlExpr;

/// <summary>Semantic scalar functions; each dialect decides how to spell them (or a lowering pass replaces them).</summary>
public enum SqlFunction
{
    /// <summary>COALESCE(a, b, ...)</summary>
    Coalesce,
    /// <summary>1-based position of arg 2 in arg 1, 0 when absent.</summary>
    StrPos,
    StartsWith,
    EndsWith,
    /// <summary>Character length of a string.</summary>
    Length,
    /// <summary>The last N characters: (string, n).</summary>
    Right,
    /// <summary>(array, element...) true when any listed element is in the array.</summary>
    ArrayContainsAny,
    /// <summary>(array, element...) true when every listed element is in the array.</summary>
    ArrayContainsAll,
    /// <summary>(timestamp, zone) the calendar date of a UTC instant in a time zone.</summary>
    LocalDate,
    /// <summary>(date) ISO day of week, Monday = 1 ... Sunday = 7.</summary>
    IsoDayOfWeek,
    /// <summary>(date) month * 100 + day.</summary>
    MonthDay,
    /// <summary>(timestamp, interval) the instant an interval later.</summary>
    AddInterval,
    /// <summary>(salt, key) the split bucket in 0..9999: uint32 of the first 8 hex digits of md5(salt || ':' || key) mod 10000.</summary>
    SplitBucket,
    /// <summary>(string) the value compared by code point (binary collation), whatever the database default.</summary>
    BinaryCollate,
    /// <summary>(sum, count) an average as a floating-point value, NULL when count is 0.</summary>
    Average,
}

public sealed record FuncExpr(SqlFunction Function, ImmutableArray<SqlExpr> Args) : SqlExpr;

public enum AggregateKind
{
    CountStar,
    Count,
    CountDistinct,
    Sum,
    Min,
    Max,
    /// <summary>The argument's value on the first row by <see cref="AggregateExpr.OrderBy"/>.</summary>
    FirstByOrder,
    /// <summary>Distinct non-NULL values in ascending order, as an array; NULL when there are none.</summary>
    SortedDistinctList,
    BoolOr,
}

/// <summary>An aggregate with an optional FILTER (WHERE ...) clause.</summary>
public sealed record AggregateExpr(
    AggregateKind Kind,
    SqlExpr? Argument = null,
    SqlExpr? Filter = null,
    ImmutableArray<SqlOrder> OrderBy = default) : SqlExpr
{
    public ImmutableArray<SqlOrder> OrderBy { get; init; } = OrderBy.IsDefault ? [] : OrderBy;
}

public sealed record SqlOrder(SqlExpr Expr, bool Descending = false, bool NullsLast = true);

public enum WindowKind
{
    Max,
    Min,
    RowNumber,
}

public enum FrameBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>A RANGE frame bound; <see cref="Offset"/> is an interval expression for Preceding/Following.</summary>
public sealed record FrameBound(FrameBoundKind Kind, SqlExpr? Offset = null);

public sealed record WindowExpr(
    WindowKind Kind,
    SqlExpr? Argument,
    ImmutableArray<SqlExpr> PartitionBy,
    ImmutableArray<SqlOrder> OrderBy,
    FrameBound? FrameStart = null,
    FrameBound? FrameEnd = null) : SqlExpr;

public sealed record CaseExpr(ImmutableArray<CaseWhen> Whens, SqlExpr? Else) : SqlExpr;

public sealed record CaseWhen(SqlExpr When, SqlExpr Then);

public enum SqlType
{
    Text,
    BigInt,
    Double,
    Timestamp,
    Date,
    Interval,
    TextArray,
    BigIntArray,
    NumericArray,
}

public sealed record CastExpr(SqlExpr Operand, SqlType Type) : SqlExpr;
