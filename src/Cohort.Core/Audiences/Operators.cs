using System.Collections.Immutable;

namespace Cohort.Core.Audiences;

/// <summary>
/// Every test a property, trait or occurrence time can be put to. Which ones apply depends on the value's type;
/// see <see cref="OperatorCatalog"/> and docs/semantics.md.
/// </summary>
public enum PropertyOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    IsSet,
    IsNotSet,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Between,
    IsTrue,
    IsFalse,
    Before,
    After,
    On,
    WithinLast,
    MoreThanAgo,
    BetweenAgo,
    WithinNext,
    AnniversaryWithinNext,
    DayOfWeek,
    ContainsAny,
    ContainsAll,
}

/// <summary>The right-hand side of a <see cref="PropertyTest"/>; its shape depends on the operator.</summary>
public abstract record Operand
{
    private Operand() { }

    public sealed record None : Operand
    {
        public static readonly None Instance = new();
    }

    public sealed record Value(Literal Literal) : Operand;

    public sealed record Values(ImmutableArray<Literal> Literals) : Operand;

    /// <summary>Inclusive at both ends.</summary>
    public sealed record Range(Literal Low, Literal High) : Operand;

    public sealed record Relative(Duration Duration) : Operand;

    /// <summary>Between <see cref="Near"/> and <see cref="Far"/> ago, Near &lt;= Far.</summary>
    public sealed record RelativeRange(Duration Near, Duration Far) : Operand;

    public sealed record Days(ImmutableArray<DayOfWeek> DaysOfWeek) : Operand;
}

/// <summary>An operator with its operand: "gte 500", "within_last 30 days", "in [US, CA]".</summary>
public sealed record PropertyTest(PropertyOperator Operator, Operand Operand);

public enum CountOperator
{
    AtLeast,
    AtMost,
    Exactly,
    Between,
}

/// <summary>How many matching rows are required. Between is inclusive at both ends.</summary>
public sealed record CountComparator(CountOperator Operator, long Value, long High = 0)
{
    public static readonly CountComparator AtLeastOne = new(CountOperator.AtLeast, 1);
    public static readonly CountComparator None = new(CountOperator.Exactly, 0);

    public bool Matches(long count) => Operator switch
    {
        CountOperator.AtLeast => count >= Value,
        CountOperator.AtMost => count <= Value,
        CountOperator.Exactly => count == Value,
        CountOperator.Between => count >= Value && count <= High,
        _ => false,
    };

    /// <summary>True when a row with no matching rows at all (count 0) satisfies the comparator.</summary>
    public bool MatchesZero => Matches(0);
}

public enum AggregateFunction
{
    Sum,
    Avg,
    Min,
    Max,
}
