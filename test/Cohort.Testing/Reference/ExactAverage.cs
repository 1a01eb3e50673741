namespace Cohort.Testing.Reference;

/// <summary>
/// An average kept as sum and count, so that comparisons are exact: docs/semantics.md defines
/// <c>avg(x) &gt; 20</c> as <c>sum(x) &gt; 20 × count(x)</c>. Decimal division would round (10 / 3).
/// </summary>
public readonly record struct ExactAverage(decimal Sum, long Count)
{
    /// <summary>The average rounded to decimal precision; only for display and trait values handed out.</summary>
    public decimal Value => Sum / Count;

    /// <summary>Sign of (average − x), computed without dividing.</summary>
    public int CompareTo(decimal x) => Sum.CompareTo(x * Count);

    /// <summary>Sign of (this − other), by cross-multiplying.</summary>
    public int CompareTo(ExactAverage other) => (Sum * other.Count).CompareTo(other.Sum * Count);

    public override string ToString() => $"{Sum}/{Count}";
}
